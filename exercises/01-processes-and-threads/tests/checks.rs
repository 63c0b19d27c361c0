//! Checks for exercise 01. They are compiled against your crate and against
//! the reference solution; do not edit them.
//!
//! The child program they start is your `ch01-child` binary, whose loop is your
//! `serve`. Every wait for a child is bounded: a child that never answers is
//! killed and reported, it never hangs a check. The checks that start children or
//! touch what a whole process shares (its `COUNTER`, its stdin) take turns, so they
//! also hold under a plain `cargo test`, which runs checks side by side.

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::{self, BufRead, Read, Write};
use std::process::{Command, ExitStatus};
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError, TryRecvError};
use std::sync::{Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use processes_and_threads::{
    COUNTER, ChildWorker, Tally, add_from_threads, format_duration, measure_costs, ratio,
    render_table, serve, start_processes, start_threads,
};

/// How long the child gets to answer one request, or to exit once its input is closed.
const ANSWER_LIMIT: Duration = Duration::from_secs(5);

/// How long starting a batch of processes, or measuring the table's costs, may take.
const BATCH_LIMIT: Duration = Duration::from_secs(30);

/// Where to look when a batch of children does not finish.
const NEVER_ENDS: &str = "The candidates: a child reading a stdin that never ends (`start_processes` \
    gives each child nothing to read, `ChildWorker::finish` closes the child's stdin before it waits, and \
    `serve` returns when its input ends), or a parent waiting for a child it never started.";

/// The child program: this crate's `ch01-child` binary.
fn child_command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ch01-child"))
}

// step threads: `add_from_threads`, threads that update one shared tally

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
    assert!(
        tally.total == expected,
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
    assert!(
        tally.by_thread.len() == THREADS,
        "expected updates from {THREADS} different threads, got updates from {}. \
         Look at `add_from_threads`: start `threads` threads, each making `per_thread` updates.",
        tally.by_thread.len()
    );
    for (thread, updates) in &tally.by_thread {
        assert!(
            *updates == PER_THREAD,
            "thread {thread:?} is recorded with {updates} updates, expected {PER_THREAD}. \
             Look at `add_from_threads`: each thread adds one to its own entry in `by_thread` per update."
        );
    }
}

// step serve: `serve`, the child's loop (these checks run it inside their own process)

#[test]
fn serve_answers_every_request_in_order() {
    let _alone = alone();
    let (seed, mut rng) = seeded();
    // Whatever this process's COUNTER holds is where `add` starts: a fresh child's
    // holds 0, this process's holds a number chosen at random.
    let start = rng.u64(1_000..1_000_000);
    COUNTER.store(start, Ordering::SeqCst);
    let (requests, expected) = random_requests(&mut rng, 60, start, std::process::id());

    let run = run_serve(&requests, Flushing::NotWatched);

    if let Err(err) = &run.returned {
        panic!(
            "`serve` returned the error \"{err}\" (seed {seed}); expected Ok(()) once its input ended. \
             Look at `serve`: a malformed request gets an `error:` reply, it does not end the loop."
        );
    }
    let replies = run.replies();
    for (i, ((request, want), got)) in requests.iter().zip(&expected).zip(&replies).enumerate() {
        match want {
            Expect::Exactly(want) if got != want => {
                if let Some(first) = first_add(&requests)
                    && replies.first().map(String::as_str) == Some(first.to_string().as_str())
                {
                    panic!(
                        "`serve` answered the first request `add {first}` with `{first}`, but this process's \
                         COUNTER held {start} before it (seed {seed}): the replies count from 0, so `serve` \
                         adds to a counter of its own. Expected `{}`: add to `COUNTER`, the process's global, \
                         and answer its new value.",
                        start + first
                    );
                }
                panic!(
                    "request {} of {} (seed {seed}): sent `{request}`, expected `{want}`, got `{got}`. \
                     Look at `serve`: `add N` answers the process's COUNTER after adding N (it held {start} \
                     before the first request here), `pid` this process's id ({}).",
                    i + 1,
                    requests.len(),
                    std::process::id()
                );
            }
            Expect::Error if !got.starts_with("error:") => panic!(
                "request {} of {} (seed {seed}): sent the malformed request `{request}`, expected a reply starting \
                 with `error:`, got `{got}`. Look at `serve`: answer anything that is not `add N` (N a whole \
                 number, one word) or `pid` with an error line, and keep serving.",
                i + 1,
                requests.len()
            ),
            _ => {}
        }
    }
    assert!(
        replies.len() == requests.len(),
        "`serve` was sent {} requests and wrote {} reply lines (seed {seed}); expected exactly one line per \
         request. The candidates: a request answered with no line or with two, a reply without its newline, \
         or a loop that stopped early.",
        requests.len(),
        replies.len()
    );
    let total = start + expected_total(&requests);
    let now = COUNTER.load(Ordering::SeqCst);
    assert!(
        now == total,
        "after serving, this process's COUNTER holds {now}, expected {total} ({start} plus every `add`; seed \
         {seed}). The replies were right, so they came from somewhere else: `serve` must add to `COUNTER`."
    );
}

#[test]
fn serve_flushes_each_reply_before_reading_on() {
    let _alone = alone();
    let (_, mut rng) = seeded();
    let (requests, _) = random_requests(&mut rng, 8, COUNTER.load(Ordering::SeqCst), std::process::id());

    // The output hands the parent only what was flushed, as a pipe behind a buffer
    // does; the input gives the next request only once the last reply has arrived.
    let run = run_serve(&requests, Flushing::Required);

    if let Some(problem) = run.flushing_problem {
        panic!(
            "{problem}. A parent reading the other end of a buffered pipe would wait for that reply forever, \
             and the child would wait for the parent's next request. Look at `serve`: answer each request with \
             one line and flush `output` before you read the next request."
        );
    }
    if let Err(err) = &run.returned {
        panic!("`serve` returned the error \"{err}\"; expected Ok(()) once its input ended. Look at `serve`.");
    }
    assert!(
        run.delivered.len() == requests.len(),
        "`serve` was sent {} requests and delivered {} flushed reply lines; expected one per request. \
         Look at `serve`.",
        requests.len(),
        run.delivered.len()
    );
}

// step worker: `ChildWorker`, the parent's end of a child process and its two pipes

#[test]
fn child_changes_never_reach_the_parent() {
    let _alone = alone();
    COUNTER.store(1000, Ordering::SeqCst); // the parent's copy of the global
    let mut child = BoundedChild::start();
    let replies = [child.ask("add 5"), child.ask("add 10"), child.ask("pid")];
    let parent_sees = COUNTER.load(Ordering::SeqCst);
    // Expected: the parent's copy still holds 1000, the child's went 0, 5, 15,
    // and the replies came from the child's own process.
    assert_isolated(parent_sees, &replies, child.pid);
    child.finish();
}

/// The verdict of `child_changes_never_reach_the_parent`.
fn assert_isolated(parent_sees: u64, [first, second, child_pid]: &[String; 3], pid: u32) {
    assert!(
        parent_sees == 1000,
        "the parent's COUNTER went from 1000 to {parent_sees} although only the child was asked to add: \
         the requests were handled inside the parent process. Look at `ChildWorker::ask`: write the \
         request to the child's stdin and read the child's reply from its stdout."
    );
    assert!(
        [first.as_str(), second.as_str()] == ["5", "15"],
        "the child answered `add 5` with `{first}` and then `add 10` with `{second}`, expected `5` and `15`: \
         the child's COUNTER is its own, it starts at 0 whatever the parent's holds (1000 here) \
         and keeps what the child added. Look at `serve`."
    );
    assert!(
        *child_pid == pid.to_string(),
        "the child answered `pid` with `{child_pid}`, but the process that `ChildWorker::spawn` started has \
         pid {pid}: expected the child's own `std::process::id()`. Look at `serve`."
    );
    assert!(
        pid != std::process::id(),
        "the child has the parent's process id: it is not a child process"
    );
}

#[test]
fn pipe_round_trips_are_correct_for_random_input() {
    let _alone = alone();
    let (seed, mut rng) = seeded();
    let mut child = BoundedChild::start();
    let (requests, expected) = random_requests(&mut rng, 300, 0, child.pid);
    for (i, (request, want)) in requests.iter().zip(&expected).enumerate() {
        let reply = child.ask(request);
        match want {
            Expect::Exactly(want) => assert!(
                &reply == want,
                "round trip {} of {} (seed {seed}): sent `{request}`, expected `{want}`, got `{reply}`. \
                 Look at `serve`: `add N` answers the child's new total, `pid` its process id.",
                i + 1,
                requests.len()
            ),
            Expect::Error => assert!(
                reply.starts_with("error:"),
                "round trip {} of {} (seed {seed}): sent the malformed request `{request}`, expected a \
                 reply starting with `error:`, got `{reply}`. Look at `serve`: answer anything that is not \
                 `add N` or `pid` with an error line, and keep serving.",
                i + 1,
                requests.len()
            ),
        }
    }
    child.finish();
}

#[test]
fn the_child_exits_when_its_input_closes() {
    let _alone = alone();
    let mut child = BoundedChild::start();
    let reply = child.ask("add 1");
    assert!(
        reply == "1",
        "the child answered `add 1` with `{reply}`, expected `1`. Look at `serve`."
    );
    let pid = child.pid;
    let status = child.finish();
    assert!(
        status.success(),
        "the child exited with {status} after its stdin was closed, expected success: `serve` should \
         return `Ok(())` when its input ends"
    );
    if let Some(left) = my_children().into_iter().find(|c| c.pid == pid) {
        panic!(
            "`ChildWorker::finish` returned, but the child (pid {pid}) is {}: it was never waited for. \
             Look at `ChildWorker::finish`: the exit status it returns comes from waiting for the child.",
            left.state_words()
        );
    }
}

#[test]
fn a_child_that_dies_is_an_error_not_a_reply() {
    let _alone = alone();
    // Children that read one request and end without a word: one exits, one is killed.
    for (how, script) in [
        ("exited", "read request; exit 0"),
        ("was killed", "read request; kill -KILL $$"),
    ] {
        let mut worker = ChildWorker::spawn(Command::new("sh").args(["-c", script]))
            .unwrap_or_else(|err| panic!("could not start `sh -c '{script}'`: {err}. Look at `ChildWorker::spawn`."));
        let pid = worker.id();
        match bounded(pid, move || {
            let reply = worker.ask("pid");
            (worker, reply)
        }) {
            None => panic!(
                "the child read `pid` and {how} without answering, and `ChildWorker::ask` had not returned {} s \
                 later. When the child's stdout closes, reading it gives end of file (`read_line` returns \
                 Ok(0)) at once and forever: `ask` must turn that into an error, not read again.",
                ANSWER_LIMIT.as_secs()
            ),
            Some((_, Ok(reply))) => panic!(
                "the child read `pid` and {how} without answering, yet `ChildWorker::ask` returned the reply \
                 {reply:?}. Reading a closed pipe gives end of file (`read_line` returns Ok(0) and reads \
                 nothing): that is no reply, and `ask` must return an error \
                 (`io::ErrorKind::UnexpectedEof`) so the parent knows its child is gone."
            ),
            Some((worker, Err(_))) => {
                drop(worker);
                reap(pid);
            }
        }
    }
}

// step creation: `start_threads` and `start_processes`, batches of each

#[test]
fn start_threads_runs_each_on_a_thread_of_its_own() {
    let (seed, mut rng) = seeded();
    for n in [1, rng.usize(3..12), rng.usize(12..30)] {
        let ids = start_threads(n);
        let distinct: HashSet<_> = ids.iter().collect();
        assert!(
            (ids.len(), distinct.len()) == (n, n),
            "`start_threads({n})` returned {} ids, {} of them different (seed {seed}); expected {n} ids of \
             {n} different threads. Look at `start_threads`: one thread per id, each reporting its own.",
            ids.len(),
            distinct.len()
        );
        assert!(
            !ids.contains(&thread::current().id()),
            "`start_threads({n})` reported the calling thread: each id must come from a thread it started"
        );
    }
}

#[test]
fn start_processes_waits_for_every_child() {
    let _alone = alone();
    let (seed, mut rng) = seeded();
    let n = rng.usize(3..9);
    let (log, mut command) = pid_logging_children("exit 0");
    let pids = within(BATCH_LIMIT, &format!("`start_processes` with {n} children"), NEVER_ENDS, move || {
        start_processes(&mut command, n)
    })
    .unwrap_or_else(|err| panic!("`start_processes` failed: {err}, though every child exits with success. Look at `start_processes`."));
    assert_no_child_left("`start_processes` returned", n);
    let started = logged_pids(&log);
    let (reported, really): (HashSet<u32>, HashSet<u32>) = (pids.iter().copied().collect(), started.iter().copied().collect());
    assert!(
        (pids.len(), started.len()) == (n, n),
        "`start_processes(command, {n})` returned {} ids, and {} children ran (seed {seed}); expected {n} of \
         each. Look at `start_processes`: start `n` children.",
        pids.len(),
        started.len()
    );
    assert!(
        reported == really,
        "`start_processes` returned the ids {pids:?}, but the children that ran had the ids {started:?}: \
         return each child's own id, as the operating system gave it (`Child::id`)."
    );
}

#[test]
fn start_processes_gives_children_nothing_to_read() {
    let _alone = alone();
    // This process's stdin becomes a pipe that never ends, as a terminal is while
    // nobody types. A child that inherits it waits for input forever.
    let endless = EndlessStdin::install();
    let n = 4;
    let outcome = while_watching(BATCH_LIMIT, move || start_processes(&mut child_command(), n), || {
        my_children().into_iter().find(|c| c.name == "ch01-child" && endless.is_stdin_of(c.pid))
    });
    match outcome {
        Watched::Done(Ok(_)) => {}
        Watched::Done(Err(err)) => panic!("`start_processes` failed: {err}. Look at `start_processes` (and at `serve`)."),
        Watched::Seen(child) => {
            let killed = kill_children();
            panic!(
                "the child {} of `start_processes` inherited this process's stdin: it is reading the parent's \
                 input, which here never ends (in a terminal it would wait for the keyboard, and `ch01-table` \
                 would hang until Ctrl-D). {killed} child process(es) were killed. Look at `start_processes`: \
                 give the children nothing to read, so each one reads end of file at once.",
                child.pid
            );
        }
        Watched::StillRunning => {
            let killed = kill_children();
            panic!(
                "`start_processes` with {n} children had not finished after {} s, so the {killed} child \
                 process(es) still running were killed. {NEVER_ENDS}",
                BATCH_LIMIT.as_secs()
            );
        }
    }
    drop(endless);
}

#[test]
fn start_processes_reports_children_that_fail() {
    let _alone = alone();
    let (seed, mut rng) = seeded();
    let n = rng.usize(2..7);
    let code = rng.u8(1..100);
    let (log, mut command) = pid_logging_children(&format!("exit {code}"));
    let outcome = within(BATCH_LIMIT, &format!("`start_processes` with {n} failing children"), NEVER_ENDS, move || {
        start_processes(&mut command, n)
    });
    assert_no_child_left("`start_processes` returned after its children failed", n);
    let ran = logged_pids(&log).len();
    match outcome {
        Ok(pids) => panic!(
            "all {ran} children exited with code {code}, yet `start_processes({n})` returned Ok({pids:?}) \
             (seed {seed}). A child that does not exit with success is an error: look at each exit status."
        ),
        Err(err) if err.to_string().trim().is_empty() => {
            panic!("`start_processes` returned an error with no words in it; say which child failed and how")
        }
        Err(_) => {}
    }
}

#[test]
fn start_processes_waits_for_its_children_when_a_start_fails() {
    let _alone = alone();
    let (seed, mut rng) = seeded();
    let n = rng.usize(3..8);
    let starts = rng.usize(1..n);
    // The command can be started `starts` times; the next start fails, as a start does
    // when the system runs out of processes or the program is gone.
    let limit = StartLimit::new(starts);
    let mut command = Command::new("sh");
    command.args(["-c", "exit 0"]);
    limit.apply_to(&mut command);
    let outcome = within(BATCH_LIMIT, &format!("`start_processes` with {n} children"), NEVER_ENDS, move || {
        start_processes(&mut command, n)
    });
    drop(limit);
    assert_no_child_left(
        &format!("`start_processes` returned after starting child {} of {n} failed", starts + 1),
        n,
    );
    if let Ok(pids) = outcome {
        panic!(
            "starting child {} of {n} failed, yet `start_processes` returned Ok({pids:?}) (seed {seed}). A child \
             that could not be started is an error, reported once the children already started have been \
             waited for.",
            starts + 1
        );
    }
}

// timed: it compares run times (the timing crate)
#[test]
fn creating_a_process_costs_many_times_a_thread() {
    let _alone = alone();
    const N: usize = 20;
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

// step table: `render_table`, the notes' table with the measured rows

#[test]
fn the_table_matches_the_snapshot() {
    let _alone = alone();
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

    // The numbers are checked above; the snapshot holds the words and the layout. Insta
    // prints the difference itself; its panic is caught quietly and said in words.
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let matched = std::panic::catch_unwind(|| {
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
    });
    std::panic::set_hook(quiet);
    if matched.is_err() {
        panic!(
            "the table's words or layout differ from the saved snapshot, tests/snapshots/table.snap (the \
             difference is printed above: `-` lines are the snapshot's, `+` lines yours, numbers hidden). \
             Look at `render_table`: every row of NOTES in order, the measured rows right after `creation` \
             and after `communication`, then an empty line and the sentence of ratios, each line ending \
             with a newline."
        );
    }
}

// ---------------------------------------------------------------------------
// Requests and their expected replies.
// ---------------------------------------------------------------------------

/// What a reply must be.
enum Expect {
    Exactly(String),
    Error,
}

/// Requests the child must refuse with an `error:` line, without stopping.
const MALFORMED: [&str; 9] = [
    "",
    "add",
    "add +5",
    "add -3",
    "add x",
    "add 1 2",
    "mul 3",
    "add 18446744073709551616",
    "hello child",
];

/// A random seed (or `CH01_SEED`), printed so a failure can be replayed.
fn seeded() -> (u64, fastrand::Rng) {
    let seed = std::env::var("CH01_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    println!("seed {seed} (run again with CH01_SEED={seed} to send the same requests)");
    (seed, fastrand::Rng::with_seed(seed))
}

/// `count` random requests (mostly `add N`, some `pid`, some malformed) and what
/// each must be answered with, for a process whose COUNTER starts at `start`.
fn random_requests(rng: &mut fastrand::Rng, count: usize, start: u64, pid: u32) -> (Vec<String>, Vec<Expect>) {
    let mut total = start;
    (0..count)
        .map(|i| match rng.u8(0..10) {
            _ if i == 0 => {
                let n = rng.u64(1..1_000);
                total += n;
                (format!("add {n}"), Expect::Exactly(total.to_string()))
            }
            0..=6 => {
                let n = rng.u64(0..1_000_000);
                total += n;
                (format!("add {n}"), Expect::Exactly(total.to_string()))
            }
            7 => ("pid".to_string(), Expect::Exactly(pid.to_string())),
            _ => (MALFORMED[rng.usize(..MALFORMED.len())].to_string(), Expect::Error),
        })
        .unzip()
}

/// N of the first request, which `random_requests` makes an `add N`.
fn first_add(requests: &[String]) -> Option<u64> {
    requests.first()?.strip_prefix("add ")?.parse().ok()
}

/// What the well-formed `add` requests add up to.
fn expected_total(requests: &[String]) -> u64 {
    requests
        .iter()
        .filter_map(|r| {
            let words: Vec<&str> = r.split_whitespace().collect();
            match words.as_slice() {
                ["add", n] if n.bytes().all(|b| b.is_ascii_digit()) => n.parse::<u64>().ok(),
                _ => None,
            }
        })
        .sum()
}

// ---------------------------------------------------------------------------
// `serve` inside this process: an input that hands out one request at a time and
// an output that delivers only what was flushed.
// ---------------------------------------------------------------------------

/// Whether the input waits for the last reply to be flushed before it gives the next request.
#[derive(Clone, Copy, PartialEq)]
enum Flushing {
    NotWatched,
    Required,
}

/// What `serve` did with the requests.
struct ServeRun {
    returned: io::Result<()>,
    /// Lines flushed to the output.
    delivered: Vec<String>,
    /// Bytes written after the last flush.
    unflushed: String,
    /// The first time a request was read before the reply to the one before had been flushed.
    flushing_problem: Option<String>,
}

impl ServeRun {
    /// Every line written, flushed or not.
    fn replies(&self) -> Vec<String> {
        let mut all = self.delivered.join("\n");
        if !self.delivered.is_empty() {
            all.push('\n');
        }
        all.push_str(&self.unflushed);
        all.lines().map(str::to_string).collect()
    }
}

/// What the input and the output share.
#[derive(Default)]
struct Exchange {
    pending: Vec<u8>,
    delivered: Vec<u8>,
    problem: Option<String>,
}

impl Exchange {
    fn delivered_lines(&self) -> usize {
        self.delivered.iter().filter(|&&b| b == b'\n').count()
    }
}

/// The requests, one line at a time.
struct ScriptedInput {
    requests: Vec<String>,
    next: usize,
    line: Vec<u8>,
    at: usize,
    flushing: Flushing,
    exchange: Rc<RefCell<Exchange>>,
}

impl BufRead for ScriptedInput {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at == self.line.len() {
            let mut exchange = self.exchange.borrow_mut();
            if self.flushing == Flushing::Required && exchange.problem.is_none() && self.next > 0 {
                let answered = exchange.delivered_lines();
                if answered < self.next {
                    let asked = &self.requests[self.next - 1];
                    let written = String::from_utf8_lossy(&exchange.pending).trim_end().to_string();
                    let reading = match self.requests.get(self.next) {
                        Some(next) => format!("read the next request (`{next}`)"),
                        None => "read on and found the end of its input".to_string(),
                    };
                    exchange.problem = Some(if written.is_empty() {
                        format!(
                            "`serve` {reading} before it had answered request {} (`{asked}`): no reply to it \
                             had been written at all. Read one request, answer it, then read the next",
                            self.next
                        )
                    } else {
                        format!(
                            "`serve` {reading} while its reply to request {} (`{asked}`) was written but not \
                             flushed: `{written}` still sat in the output's buffer",
                            self.next
                        )
                    });
                }
            }
            if exchange.problem.is_some() || self.next == self.requests.len() {
                return Ok(&[]);
            }
            self.line = format!("{}\n", self.requests[self.next]).into_bytes();
            self.at = 0;
            self.next += 1;
        }
        Ok(&self.line[self.at..])
    }

    fn consume(&mut self, amount: usize) {
        self.at = (self.at + amount).min(self.line.len());
    }
}

impl Read for ScriptedInput {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// An output that delivers only on flush.
struct FlushOnlyOutput {
    exchange: Rc<RefCell<Exchange>>,
}

impl Write for FlushOnlyOutput {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.exchange.borrow_mut().pending.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let mut exchange = self.exchange.borrow_mut();
        let pending = std::mem::take(&mut exchange.pending);
        exchange.delivered.extend(pending);
        Ok(())
    }
}

/// Runs `serve` on `requests`, bounded, and says what it did.
fn run_serve(requests: &[String], flushing: Flushing) -> ServeRun {
    let requests = requests.to_vec();
    let run = timing::bounded(ANSWER_LIMIT, move || {
        let exchange = Rc::new(RefCell::new(Exchange::default()));
        let input = ScriptedInput {
            requests,
            next: 0,
            line: Vec::new(),
            at: 0,
            flushing,
            exchange: Rc::clone(&exchange),
        };
        let returned = serve(input, FlushOnlyOutput { exchange: Rc::clone(&exchange) });
        let exchange = exchange.borrow();
        let mut problem = exchange.problem.clone();
        if flushing == Flushing::Required && problem.is_none() && !exchange.pending.is_empty() {
            let written = String::from_utf8_lossy(&exchange.pending).trim_end().to_string();
            problem = Some(format!(
                "`serve` returned with its last reply written but not flushed: `{written}` still sat in the \
                 output's buffer"
            ));
        }
        ServeRun {
            returned,
            delivered: String::from_utf8_lossy(&exchange.delivered).lines().map(str::to_string).collect(),
            unflushed: String::from_utf8_lossy(&exchange.pending).to_string(),
            flushing_problem: problem,
        }
    });
    run.unwrap_or_else(|timing::StillRunning| {
        panic!(
            "`serve` had not returned {} s after its input ended. Look at `serve`: when the lines run out, \
             the parent has closed the pipe, and `serve` returns Ok(()).",
            ANSWER_LIMIT.as_secs()
        )
    })
}

// ---------------------------------------------------------------------------
// Children: taking turns, bounded waits, and what the process table says.
// ---------------------------------------------------------------------------

/// Held by every check that starts children or changes what the whole process
/// shares, so that such checks never overlap under a plain `cargo test`.
fn alone() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

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
                if reply.ends_with(['\n', '\r']) {
                    panic!(
                        "sent `{request}` to the child and `ChildWorker::ask` returned {reply:?}, with the line \
                         ending still on it. Look at `ask`: a reply is the line without its line ending."
                    );
                }
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
                 The candidates: `ChildWorker::ask` does not end the request with a newline or does not flush it; \
                 `serve` does not answer every line with one line, or does not flush it."
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
                 `ChildWorker::finish` must close the child's stdin before it waits (the child is waiting for \
                 your next request until then), and `serve` must return when its input ends."
            ),
        }
    }
}

/// Runs `work` and waits at most ANSWER_LIMIT for it. On a time-out, kills the child
/// `pid` (a read blocked on its pipe then returns) and gives `None`. A panic inside
/// `work`, such as a `todo!()`, is passed on as it is.
fn bounded<T: Send + 'static>(pid: u32, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    match timing::bounded(ANSWER_LIMIT, work) {
        Ok(value) => Some(value),
        Err(timing::StillRunning) => {
            // SAFETY: kill(2) has no memory effects; the child is not yet reaped, so the
            // pid is still the child's.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            None
        }
    }
}

/// Runs `work` and waits at most `limit` for it. On a time-out, kills every child
/// process of this process (a parent blocked on a child then wakes up) and fails,
/// naming `what`. A panic inside `work` is passed on as it is.
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

/// What `while_watching` saw first.
enum Watched<T, S> {
    Done(T),
    Seen(S),
    StillRunning,
}

/// Runs `work` on a thread named like the check and looks with `watch` every few
/// milliseconds while it runs, for at most `limit`. A panic in `work` is passed on.
fn while_watching<T: Send + 'static, S>(
    limit: Duration,
    work: impl FnOnce() -> T + Send + 'static,
    mut watch: impl FnMut() -> Option<S>,
) -> Watched<T, S> {
    let (done, result) = mpsc::channel();
    let name = thread::current().name().unwrap_or("check").to_string();
    let worker = thread::Builder::new()
        .name(name)
        .spawn(move || {
            let _ = done.send(work());
        })
        .expect("the system can start one more thread");
    let deadline = Instant::now() + limit;
    loop {
        match result.try_recv() {
            Ok(value) => return Watched::Done(value),
            Err(TryRecvError::Disconnected) => match worker.join() {
                Err(panic) => std::panic::resume_unwind(panic),
                Ok(()) => unreachable!("the worker sends before it returns"),
            },
            Err(TryRecvError::Empty) => {}
        }
        if let Some(seen) = watch() {
            return Watched::Seen(seen);
        }
        if Instant::now() >= deadline {
            return Watched::StillRunning;
        }
        match result.recv_timeout(Duration::from_millis(5)) {
            Ok(value) => return Watched::Done(value),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
        }
    }
}

/// Lets a `Command` start only so many times: each start takes a token from a pipe
/// (in the child, before the program is run); once none is left, the start fails and
/// `Command::spawn` returns the error.
struct StartLimit {
    tokens: libc::c_int,
}

impl StartLimit {
    fn new(starts: usize) -> StartLimit {
        let mut ends = [0 as libc::c_int; 2];
        // SAFETY: pipe2(2) writes two descriptors into an array of two; the writes copy
        // from a valid buffer; the writing end is closed once the tokens are in.
        unsafe {
            assert_eq!(libc::pipe2(ends.as_mut_ptr(), libc::O_CLOEXEC), 0, "the system can make one more pipe");
            let tokens = vec![b't'; starts];
            assert_eq!(
                libc::write(ends[1], tokens.as_ptr().cast(), tokens.len()),
                starts as isize,
                "a pipe holds a few bytes"
            );
            libc::close(ends[1]);
        }
        StartLimit { tokens: ends[0] }
    }

    fn apply_to(&self, command: &mut Command) {
        use std::os::unix::process::CommandExt;
        let tokens = self.tokens;
        // SAFETY: the closure runs in the child between fork and exec, and only calls
        // read(2), which is async-signal-safe, on a descriptor the child inherited.
        unsafe {
            command.pre_exec(move || {
                let mut token = 0u8;
                match libc::read(tokens, (&mut token as *mut u8).cast(), 1) {
                    1 => Ok(()),
                    _ => Err(io::Error::from_raw_os_error(libc::EAGAIN)),
                }
            });
        }
    }
}

impl Drop for StartLimit {
    fn drop(&mut self) {
        // SAFETY: the descriptor is this process's own.
        unsafe { libc::close(self.tokens) };
    }
}

/// This process's stdin replaced, while it lives, by a pipe whose writing end stays
/// open and silent: whoever reads it waits forever, as on a terminal nobody types in.
struct EndlessStdin {
    saved: libc::c_int,
    writer: libc::c_int,
    link: std::path::PathBuf,
}

impl EndlessStdin {
    fn install() -> EndlessStdin {
        let mut ends = [0 as libc::c_int; 2];
        // SAFETY: pipe(2) writes two descriptors into an array of two; dup and dup2 only
        // copy descriptors this process owns.
        unsafe {
            assert_eq!(libc::pipe(ends.as_mut_ptr()), 0, "the system can make one more pipe");
            let saved = libc::dup(0);
            assert!(libc::dup2(ends[0], 0) >= 0, "stdin can be replaced");
            if ends[0] != 0 {
                libc::close(ends[0]);
            }
            let link = std::fs::read_link("/proc/self/fd/0").expect("/proc shows this process's stdin");
            EndlessStdin { saved, writer: ends[1], link }
        }
    }

    /// Whether process `pid` reads this very pipe as its stdin.
    fn is_stdin_of(&self, pid: u32) -> bool {
        std::fs::read_link(format!("/proc/{pid}/fd/0")).is_ok_and(|l| l == self.link)
    }
}

impl Drop for EndlessStdin {
    fn drop(&mut self) {
        // SAFETY: as in `install`: the descriptors are this process's own.
        unsafe {
            if self.saved >= 0 {
                libc::dup2(self.saved, 0);
                libc::close(self.saved);
            } else {
                libc::close(0);
            }
            libc::close(self.writer);
        }
    }
}

/// Children that append their process id (`$$` of the shell) to a scratch file,
/// then run `then`; the file, and the command that starts one such child.
fn pid_logging_children(then: &str) -> (std::path::PathBuf, Command) {
    let log = std::env::temp_dir().join(format!("ch01-pids-{}-{}", std::process::id(), fastrand::u64(..)));
    let _ = std::fs::remove_file(&log);
    let mut command = Command::new("sh");
    command.args(["-c", &format!("echo $$ >> \"$0\"; {then}")]).arg(&log);
    (log, command)
}

/// The ids the children wrote, and the scratch file removed.
fn logged_pids(log: &std::path::Path) -> Vec<u32> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let _ = std::fs::remove_file(log);
    text.lines().filter_map(|l| l.trim().parse().ok()).collect()
}

/// A child of this process as the process table shows it.
struct ChildEntry {
    pid: u32,
    state: String,
    name: String,
}

impl ChildEntry {
    fn state_words(&self) -> String {
        match self.state.as_str() {
            "Z" => "a zombie: it exited, and its exit status waits in the process table for a wait that never came"
                .to_string(),
            s => format!("still running (state {s})"),
        }
    }
}

/// Every process whose parent is this one, zombies included, found through `/proc`.
fn my_children() -> Vec<ChildEntry> {
    let me = std::process::id();
    let mut children = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // `pid (name) state parent ...`: the name ends at the last ')'.
        let Some((head, rest)) = stat.rsplit_once(')') else { continue };
        let name = head.split_once('(').map_or("", |(_, n)| n).to_string();
        let mut fields = rest.split_whitespace();
        let state = fields.next().unwrap_or("?").to_string();
        if fields.next().and_then(|f| f.parse::<u32>().ok()) == Some(me) {
            children.push(ChildEntry { pid, state, name });
        }
    }
    children
}

/// Fails when any child of this process is still in the process table.
fn assert_no_child_left(after: &str, n: usize) {
    let left = my_children();
    if !left.is_empty() {
        let pids = |zombie: bool| -> Vec<String> {
            left.iter().filter(|c| (c.state == "Z") == zombie).map(|c| c.pid.to_string()).collect()
        };
        let (zombies, running) = (pids(true), pids(false));
        let mut what = Vec::new();
        if !zombies.is_empty() {
            what.push(format!(
                "{} zombie(s), pid {}: each exited, and its exit status waits in the process table for a wait \
                 that never came",
                zombies.len(),
                zombies.join(", ")
            ));
        }
        if !running.is_empty() {
            what.push(format!("{} still running, pid {}", running.len(), running.join(", ")));
        }
        kill_children();
        panic!(
            "{after}, but {} of its {n} children were never waited for: {}. Look at `start_processes`: wait for \
             every child it started, also when one of them failed, before it returns.",
            left.len(),
            what.join("; ")
        );
    }
}

/// Kills every live child process of this process and says how many there were.
fn kill_children() -> usize {
    let live: Vec<ChildEntry> = my_children().into_iter().filter(|c| c.state != "Z").collect();
    for child in &live {
        // SAFETY: kill(2) has no memory effects; the process is our unreaped child.
        unsafe { libc::kill(child.pid as libc::pid_t, libc::SIGKILL) };
    }
    live.len()
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
