//! Checks for exercise 01. They are compiled against your crate and against
//! the reference solution; do not edit them.
//!
//! The child program they start is your `ch01-child` binary, whose loop is your
//! `serve`. Every wait for the child is bounded: a child that never answers is
//! killed and reported, it never hangs a check.

use std::collections::HashSet;
use std::process::{Command, ExitStatus};
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use processes_and_threads::{
    COUNTER, ChildWorker, Tally, add_from_threads, format_duration, measure_costs, ratio,
    render_table, start_processes, start_threads,
};

/// How long the child gets to answer one request, or to exit once its input is closed.
const ANSWER_LIMIT: Duration = Duration::from_secs(5);

/// How long starting a batch of processes, or measuring the table's costs, may take.
const BATCH_LIMIT: Duration = Duration::from_secs(30);

/// Where to look when a batch of children does not finish.
const NEVER_ENDS: &str = "A child that never exits is usually reading a stdin that never ends: \
    `start_processes` gives each child `Stdio::null()`, `ChildWorker::finish` drops the child's stdin before \
    it waits, and `serve` returns when its input ends. A child that never answers has not flushed its reply.";

/// The child program: this crate's `ch01-child` binary.
fn child_command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ch01-child"))
}

#[test]
fn shared_updates_are_exact() {
    const THREADS: usize = 8;
    const PER_THREAD: u64 = 20_000;
    const BEFORE: u64 = 5;
    let shared = Mutex::new(Tally {
        total: BEFORE,
        ..Tally::default()
    });

    add_from_threads(&shared, THREADS, PER_THREAD);

    let tally = shared
        .into_inner()
        .expect("a thread panicked while holding the lock");
    let expected = BEFORE + THREADS as u64 * PER_THREAD;
    assert_eq!(
        tally.total,
        expected,
        "expected the shared total to go from {BEFORE} to {expected} ({THREADS} threads x {PER_THREAD} updates), \
         got {}: {} updates went missing. Look at `add_from_threads`: read and write the total under one lock.",
        tally.total,
        expected as i128 - tally.total as i128,
    );
    assert!(
        !tally.by_thread.contains_key(&thread::current().id()),
        "the calling thread updated the tally itself; expected only the threads that \
         `add_from_threads` starts to update it"
    );
    assert_eq!(
        tally.by_thread.len(),
        THREADS,
        "expected updates from {THREADS} different threads, got updates from {}. \
         Look at `add_from_threads`: start `threads` threads, each making `per_thread` updates.",
        tally.by_thread.len()
    );
    for (thread, updates) in &tally.by_thread {
        assert_eq!(
            *updates, PER_THREAD,
            "thread {thread:?} is recorded with {updates} updates, expected {PER_THREAD}. \
             Look at `add_from_threads`: each thread adds one to its own entry in `by_thread` per update."
        );
    }
}

// ANCHOR: isolation
#[test]
fn child_changes_never_reach_the_parent() {
    COUNTER.store(1000, Ordering::SeqCst); // the parent's copy of the global
    let mut child = BoundedChild::start();
    let replies = [child.ask("add 5"), child.ask("add 10"), child.ask("pid")];
    let parent_sees = COUNTER.load(Ordering::SeqCst);
    // Expected: the parent's copy still holds 1000, the child's went 0, 5, 15,
    // and the replies came from the child's own process.
    assert_isolated(parent_sees, &replies, child.pid);
    child.finish();
}
// ANCHOR_END: isolation

/// The verdict of `child_changes_never_reach_the_parent`.
fn assert_isolated(parent_sees: u64, [first, second, child_pid]: &[String; 3], pid: u32) {
    assert_eq!(
        parent_sees, 1000,
        "the parent's COUNTER went from 1000 to {parent_sees} although only the child was asked to add: \
         the requests were handled inside the parent process. Look at `ChildWorker::ask`: write the \
         request to the child's stdin and read the child's reply from its stdout."
    );
    assert_eq!(
        [first.as_str(), second.as_str()],
        ["5", "15"],
        "the child answered `add 5` with `{first}` and then `add 10` with `{second}`, expected `5` and `15`: \
         the child's COUNTER is its own, it starts at 0 whatever the parent's holds (1000 here) \
         and keeps what the child added. Look at `serve`."
    );
    assert_eq!(
        *child_pid,
        pid.to_string(),
        "the child answered `pid` with `{child_pid}`, but the process that `ChildWorker::spawn` started has \
         pid {pid}: expected the child's own `std::process::id()`. Look at `serve`."
    );
    assert_ne!(
        pid,
        std::process::id(),
        "the child has the parent's process id: it is not a child process"
    );
}

#[test]
fn pipe_round_trips_are_correct_for_random_input() {
    const ROUND_TRIPS: usize = 300;
    let seed = std::env::var("CH01_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    println!("seed {seed} (run again with CH01_SEED={seed} to send the same requests)");
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut child = BoundedChild::start();
    let mut total = 0_u64;
    for i in 0..ROUND_TRIPS {
        let (request, expected) = match rng.u8(0..10) {
            0..=6 => {
                let n = rng.u64(0..1_000_000);
                total += n;
                (format!("add {n}"), Some(total.to_string()))
            }
            7 => ("pid".to_string(), Some(child.pid.to_string())),
            _ => (MALFORMED[rng.usize(..MALFORMED.len())].to_string(), None),
        };
        let reply = child.ask(&request);
        match expected {
            Some(expected) => assert_eq!(
                reply,
                expected,
                "round trip {} of {ROUND_TRIPS} (seed {seed}): sent `{request}`, expected `{expected}`, got `{reply}`. \
                 Look at `serve`: `add N` answers the child's new total, `pid` its process id.",
                i + 1
            ),
            None => assert!(
                reply.starts_with("error:"),
                "round trip {} of {ROUND_TRIPS} (seed {seed}): sent the malformed request `{request}`, expected a \
                 reply starting with `error:`, got `{reply}`. Look at `serve`: answer anything that is not \
                 `add N` or `pid` with an error line, and keep serving.",
                i + 1
            ),
        }
    }
    child.finish();
}

/// Requests the child must refuse with an `error:` line, without stopping.
const MALFORMED: [&str; 8] = [
    "",
    "add",
    "add -3",
    "add x",
    "add 1 2",
    "mul 3",
    "add 18446744073709551616",
    "hello child",
];

#[test]
fn the_child_exits_when_its_input_closes() {
    let mut child = BoundedChild::start();
    let reply = child.ask("add 1");
    assert_eq!(
        reply, "1",
        "the child answered `add 1` with `{reply}`, expected `1`. Look at `serve`."
    );
    let status = child.finish();
    assert!(
        status.success(),
        "the child exited with {status} after its stdin was closed, expected success: `serve` should \
         return `Ok(())` when its input ends"
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn creating_a_process_costs_many_times_a_thread() {
    const N: usize = 20;
    // Structure first: the two functions really start what they say.
    let ids: HashSet<_> = start_threads(N).into_iter().collect();
    assert_eq!(
        ids.len(),
        N,
        "`start_threads({N})` reported {} different threads, expected {N}",
        ids.len()
    );
    assert!(
        !ids.contains(&thread::current().id()),
        "`start_threads` reported the calling thread: the work must run on the threads it starts"
    );
    let pids = within(
        BATCH_LIMIT,
        "`start_processes` with 20 children",
        NEVER_ENDS,
        || start_processes(&mut child_command(), N),
    )
    .unwrap_or_else(|err| {
        panic!("`start_processes` failed: {err}. Look at `start_processes` (and at `serve`).")
    });
    let distinct: HashSet<_> = pids.iter().collect();
    assert_eq!(
        distinct.len(),
        N,
        "`start_processes({N})` reported {} different process ids, expected {N}",
        distinct.len()
    );
    assert!(
        !pids.contains(&std::process::id()),
        "`start_processes` reported the parent's own process id: it must start new processes"
    );

    let mut child = child_command();
    timing::compare("process creation vs thread creation")
        .baseline("20 threads", || start_threads(N))
        .candidate("20 processes", || {
            start_processes(&mut child, N)
                .unwrap_or_else(|err| panic!("`start_processes` failed: {err}"))
        })
        .runs(5)
        // Measured on the course's 2-core machine: a process cost 22x to 40x a
        // thread (about 0.6 ms against 20 µs), still 13x with both cores kept
        // busy by other programs; 5x leaves room for a busier machine.
        .expect_candidate_slower(5.0)
        .hint(
            "Look at `start_processes` (it starts every child, then waits for each) \
             and at `start_threads`.",
        )
        .check();
}

#[test]
fn the_table_matches_the_snapshot() {
    let costs = within(BATCH_LIMIT, "`measure_costs`", NEVER_ENDS, || measure_costs(&mut child_command())).unwrap_or_else(|err| {
        panic!(
            "measuring the costs failed: {err}. `measure_costs` runs your `start_threads`, `start_processes` and \
             `ChildWorker`; a child that exits with status 101 has panicked (its message is printed above), \
             which points at `serve`."
        )
    });
    let ranges = [
        (
            "process creation",
            costs.process_creation,
            Duration::from_micros(10),
            Duration::from_secs(2),
        ),
        (
            "thread creation",
            costs.thread_creation,
            Duration::from_nanos(100),
            Duration::from_millis(100),
        ),
        (
            "pipe round trip",
            costs.pipe_round_trip,
            Duration::from_nanos(100),
            Duration::from_millis(500),
        ),
        (
            "channel round trip",
            costs.channel_round_trip,
            Duration::from_nanos(10),
            Duration::from_millis(500),
        ),
        (
            "shared update",
            costs.shared_update,
            Duration::from_nanos(1),
            Duration::from_millis(1),
        ),
    ];
    for (what, measured, low, high) in ranges {
        assert!(
            (low..=high).contains(&measured),
            "measured {what} at {}, expected between {} and {}",
            format_duration(measured),
            format_duration(low),
            format_duration(high)
        );
    }

    let table = render_table(&costs);
    let p = format_duration;
    let expected_lines = [
        format!(
            "| creation, measured | {} each | {} each |",
            p(costs.process_creation),
            p(costs.thread_creation)
        ),
        format!(
            "| round trip, measured | {} over a pipe | {} over a channel |",
            p(costs.pipe_round_trip),
            p(costs.channel_round_trip)
        ),
        format!(
            "| shared update, measured | none: nothing is shared | {} under a lock |",
            p(costs.shared_update)
        ),
        format!(
            "creating a process cost {:.1}x creating a thread; a pipe round trip cost {:.1}x a channel round trip \
             and {:.1}x a shared update.",
            ratio(costs.process_creation, costs.thread_creation),
            ratio(costs.pipe_round_trip, costs.channel_round_trip),
            ratio(costs.pipe_round_trip, costs.shared_update),
        ),
    ];
    for line in &expected_lines {
        assert!(
            table.lines().any(|l| l == line),
            "expected the table to hold the measured line\n{line}\ngot the table\n{table}\n\
             Look at `render_table`: use `format_duration` and `ratio` on the costs it is given."
        );
    }

    // The numbers are checked above; the snapshot holds the words and the layout.
    insta::with_settings!({
        filters => vec![
            (r"\d+(\.\d+)? (ns|µs|ms|s)\b", "[time]"),
            (r"\d+(\.\d+)?x", "[ratio]"),
        ],
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => "render_table(&costs), measured numbers redacted",
    }, {
        insta::assert_snapshot!("table", table);
    });
}

// ---------------------------------------------------------------------------
// A child whose every answer is awaited for at most ANSWER_LIMIT.
// ---------------------------------------------------------------------------

/// A child started with `ChildWorker::spawn`; every exchange with it is bounded.
struct BoundedChild {
    worker: Option<ChildWorker>,
    pid: u32,
}

impl BoundedChild {
    fn start() -> BoundedChild {
        let worker = ChildWorker::spawn(&mut child_command()).unwrap_or_else(|err| {
            panic!(
                "could not start the child program {}: {err}. Look at `ChildWorker::spawn`.",
                env!("CARGO_BIN_EXE_ch01-child")
            )
        });
        let pid = worker.id();
        BoundedChild {
            worker: Some(worker),
            pid,
        }
    }

    /// The child's reply to `request`; fails, naming what happened, when there is none.
    fn ask(&mut self, request: &str) -> String {
        let mut worker = self.worker.take().expect("the child is still ours");
        let owned = request.to_string();
        let pid = self.pid;
        let limit = ANSWER_LIMIT.as_secs();
        match bounded(pid, move || {
            let reply = worker.ask(&owned);
            (worker, reply)
        }) {
            Some((worker, Ok(reply))) => {
                self.worker = Some(worker);
                reply
            }
            Some((worker, Err(err))) => {
                let fate = reap(pid);
                drop(worker);
                panic!(
                    "sent `{request}` to the child (pid {pid}) and got an error instead of a reply: {err}. {fate} \
                     Look at `serve` (the child's loop) and at `ChildWorker::ask`."
                )
            }
            None => panic!(
                "sent `{request}` to the child (pid {pid}) and got no reply within {limit} s, so the child was killed. \
                 Does `ChildWorker::ask` end the request with a newline and flush it? Does `serve` answer every \
                 line with one line and flush it?"
            ),
        }
    }

    /// Closes the child's input and waits, bounded, for it to exit.
    fn finish(mut self) -> ExitStatus {
        let worker = self.worker.take().expect("the child is still ours");
        let (pid, limit) = (self.pid, ANSWER_LIMIT.as_secs());
        match bounded(pid, move || worker.finish()) {
            Some(Ok(status)) => status,
            Some(Err(err)) => panic!(
                "waiting for the child (pid {pid}) to exit failed: {err}. Look at `ChildWorker::finish`."
            ),
            None => panic!(
                "`ChildWorker::finish` was to close the child's input and wait, but the child (pid {pid}) had not \
                 exited {limit} s later, so it was killed. \
                 `ChildWorker::finish` must drop the child's stdin before it waits, and `serve` must return when \
                 its input ends."
            ),
        }
    }
}

/// Runs `work` on a helper thread and waits at most ANSWER_LIMIT for it. On a
/// time-out, kills the child `pid` (a read blocked on its pipe then returns) and
/// gives `None`. A panic inside `work`, such as a `todo!()`, is passed on as it is.
fn bounded<T: Send + 'static>(pid: u32, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (done, result) = mpsc::channel();
    let helper = helper_thread(move || {
        let _ = done.send(work());
    });
    match result.recv_timeout(ANSWER_LIMIT) {
        Ok(value) => Some(value),
        Err(RecvTimeoutError::Timeout) => {
            // SAFETY: kill(2) has no memory effects; the child is not yet reaped, so the
            // pid is still the child's.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            None
        }
        Err(RecvTimeoutError::Disconnected) => match helper.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the helper sends before it returns"),
        },
    }
}

/// Runs `work` on a helper thread and waits at most `limit` for it. On a time-out,
/// kills every child process of this process (a parent blocked on a child then
/// wakes up) and fails, naming `what`. A panic inside `work` is passed on as it is.
fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    look_at: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    match timing::bounded(limit, work) {
        Ok(value) => value,
        Err(timing::StillRunning) => {
            let killed = kill_children();
            panic!(
                "{what} had not finished after {} s, so the {killed} child process(es) still running were killed. \
                 {look_at}",
                limit.as_secs()
            )
        }
    }
}

/// Starts `work` on a thread named like the calling check, so that a panic in it
/// (a `todo!()` in your code) is reported under the check's name.
fn helper_thread(work: impl FnOnce() + Send + 'static) -> thread::JoinHandle<()> {
    let name = thread::current().name().unwrap_or("check").to_string();
    thread::Builder::new()
        .name(name)
        .spawn(work)
        .expect("the system can start one more thread")
}

/// Kills every live child process of this process, found through `/proc`, and
/// says how many there were.
fn kill_children() -> usize {
    let me = std::process::id();
    let mut killed = 0;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // After the command name, which ends with the last ')': the state, then the parent's pid.
        let mut fields = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest)
            .unwrap_or("")
            .split_whitespace();
        let (state, parent) = (
            fields.next(),
            fields.next().and_then(|f| f.parse::<u32>().ok()),
        );
        if parent == Some(me) && state != Some("Z") {
            // SAFETY: kill(2) has no memory effects; the process is our unreaped child.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            killed += 1;
        }
    }
    killed
}

/// How the child `pid` ended, waiting up to ANSWER_LIMIT for it; kills it if it is
/// still running then.
fn reap(pid: u32) -> String {
    let deadline = Instant::now() + ANSWER_LIMIT;
    loop {
        let mut status = 0;
        // SAFETY: waitpid on our own unreaped child, with a valid pointer to an int.
        let reaped = unsafe { libc::waitpid(pid as libc::pid_t, &mut status, libc::WNOHANG) };
        if reaped == pid as libc::pid_t {
            return if libc::WIFEXITED(status) {
                match libc::WEXITSTATUS(status) {
                    101 => "The child had exited with code 101, which is how a Rust program ends after a panic \
                            (its message is printed above)."
                        .to_string(),
                    code => format!("The child had exited with code {code}."),
                }
            } else if libc::WIFSIGNALED(status) {
                format!(
                    "The child had been killed by signal {}.",
                    libc::WTERMSIG(status)
                )
            } else {
                "The child had stopped.".to_string()
            };
        }
        if reaped != 0 {
            return "How the child ended is unknown: it was no longer ours to wait for."
                .to_string();
        }
        if Instant::now() >= deadline {
            // SAFETY: as in `bounded`: the child is still unreaped.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            return "The child was still running but did not answer; it has been killed."
                .to_string();
        }
        thread::sleep(Duration::from_millis(10));
    }
}
