//! Reference solution for exercise 01: processes and threads.
//!
//! Threads of one process share its memory; a child process has memory of its
//! own and talks to its parent over pipes.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------
// Threads: one process, one memory.
// ---------------------------------------------------------------------------

/// State that several threads update: a running total and how many updates
/// each thread made.
#[derive(Debug, Default)]
pub struct Tally {
    /// Every update adds one to it.
    pub total: u64,
    /// The number of updates made by each thread.
    pub by_thread: HashMap<ThreadId, u64>,
}

/// Starts `threads` threads that each make `per_thread` updates to `shared`
/// and returns once all of them have finished. No update is lost.
pub fn add_from_threads(shared: &Mutex<Tally>, threads: usize, per_thread: u64) {
    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let me = thread::current().id();
                for _ in 0..per_thread {
                    // One lock for the whole read-modify-write of both fields.
                    let mut tally = shared.lock().expect("a thread panicked while updating");
                    tally.total += 1;
                    *tally.by_thread.entry(me).or_insert(0) += 1;
                }
            });
        }
    });
}

// ---------------------------------------------------------------------------
// The child: another process, another memory.
// ---------------------------------------------------------------------------

/// A global counter, like a module-level `counter = 0` in Python. Every process
/// that runs this library has a copy of its own, starting at zero.
pub static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The child's loop: answers each request line of `input` with one reply line
/// on `output`, flushed, until `input` ends. See `answer` for the protocol.
pub fn serve(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    for request in input.lines() {
        let request = request?;
        writeln!(output, "{}", answer(&request))?;
        output.flush()?;
    }
    Ok(())
}

/// The reply to one request: `add N` adds N to this process's `COUNTER` and
/// answers its new value, `pid` answers this process's id, anything else an
/// `error: ...` line.
fn answer(request: &str) -> String {
    let words: Vec<&str> = request.split_whitespace().collect();
    match words.as_slice() {
        ["add", n] => match n.parse::<u64>() {
            Ok(n) => (COUNTER.fetch_add(n, Ordering::SeqCst) + n).to_string(),
            Err(_) => format!("error: `{n}` is not a whole number"),
        },
        ["pid"] => std::process::id().to_string(),
        _ => format!("error: unknown request `{request}`"),
    }
}

/// The parent's end of a running child: its stdin to send requests, its stdout
/// to read replies.
pub struct ChildWorker {
    child: Child,
    to_child: ChildStdin,
    from_child: BufReader<ChildStdout>,
}

impl ChildWorker {
    /// The child's process id, as the operating system knows it.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Starts `command` as a child process whose stdin and stdout are pipes to us.
    pub fn spawn(command: &mut Command) -> io::Result<ChildWorker> {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let to_child = child.stdin.take().expect("stdin was asked to be piped");
        let from_child = child.stdout.take().expect("stdout was asked to be piped");
        Ok(ChildWorker {
            child,
            to_child,
            from_child: BufReader::new(from_child),
        })
    }

    /// Sends one request line and returns the child's one reply line, without its
    /// line ending. A child that closed its stdout is an error, never a reply.
    pub fn ask(&mut self, request: &str) -> io::Result<String> {
        writeln!(self.to_child, "{request}")?;
        self.to_child.flush()?;
        let mut reply = String::new();
        if self.from_child.read_line(&mut reply)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the child closed its stdout without answering",
            ));
        }
        let answered = reply.trim_end_matches(['\n', '\r']).len();
        reply.truncate(answered);
        Ok(reply)
    }

    /// Closes the child's stdin (it reads end-of-file and stops) and waits for it
    /// to exit.
    pub fn finish(self) -> io::Result<ExitStatus> {
        let ChildWorker {
            mut child,
            to_child,
            from_child,
        } = self;
        drop(to_child);
        drop(from_child);
        child.wait()
    }
}

// ---------------------------------------------------------------------------
// What creating one costs.
// ---------------------------------------------------------------------------

/// Starts `n` threads that do nothing but report who they are, waits for all of
/// them and returns their ids.
pub fn start_threads(n: usize) -> Vec<ThreadId> {
    let handles: Vec<_> = (0..n)
        .map(|_| thread::spawn(|| thread::current().id()))
        .collect();
    handles
        .into_iter()
        .map(|handle| {
            handle
                .join()
                .expect("a thread that only reports its id cannot panic")
        })
        .collect()
}

/// Starts `n` processes of `command` with nothing to read, waits for all of them
/// and returns their process ids. A child that does not exit successfully is an
/// error.
pub fn start_processes(command: &mut Command, n: usize) -> io::Result<Vec<u32>> {
    command.stdin(Stdio::null()).stdout(Stdio::null());
    let mut children = Vec::with_capacity(n);
    for _ in 0..n {
        children.push(command.spawn()?);
    }
    let mut pids = Vec::with_capacity(n);
    for mut child in children {
        let status = child.wait()?;
        if !status.success() {
            return Err(io::Error::other(format!(
                "child {} exited with {status}",
                child.id()
            )));
        }
        pids.push(child.id());
    }
    Ok(pids)
}

// ---------------------------------------------------------------------------
// The table.
// ---------------------------------------------------------------------------

/// What one process and one thread cost on this machine.
#[derive(Debug, Clone, Copy)]
pub struct Costs {
    /// Starting one process and waiting for it to exit.
    pub process_creation: Duration,
    /// Starting one thread and joining it.
    pub thread_creation: Duration,
    /// One request and its reply over the pipes of a running child.
    pub pipe_round_trip: Duration,
    /// One message and its reply over a pair of channels to a running thread.
    pub channel_round_trip: Duration,
    /// One update of memory that threads share: lock a `Mutex`, add one, unlock.
    pub shared_update: Duration,
}

/// The notes' comparison, one row per feature: (feature, process, thread).
pub const NOTES: [(&str, &str, &str); 6] = [
    (
        "isolation",
        "own memory: a change in the child never reaches the parent",
        "shared memory: every thread sees every change",
    ),
    (
        "resources",
        "its own memory, file handles and environment",
        "those of its process, shared with the other threads",
    ),
    (
        "creation",
        "slow, heavy: a new program is loaded",
        "fast, light: a new stack in the same program",
    ),
    (
        "communication",
        "through the OS (IPC): pipes, sockets, files",
        "direct: shared memory, channels",
    ),
    (
        "context switching",
        "slower: the CPU changes address space",
        "faster: the address space stays",
    ),
    (
        "use case",
        "separate, independent programs",
        "tasks inside one program: background work, a responsive UI",
    ),
];

/// The notes' table as Markdown, with measured rows after `creation` and after
/// `communication`, then the ratios between them.
pub fn render_table(costs: &Costs) -> String {
    let mut table = String::from("| | process | thread |\n|---|---|---|\n");
    for (feature, process, thread) in NOTES {
        table += &format!("| {feature} | {process} | {thread} |\n");
        if feature == "creation" {
            let (p, t) = (
                format_duration(costs.process_creation),
                format_duration(costs.thread_creation),
            );
            table += &format!("| creation, measured | {p} each | {t} each |\n");
        }
        if feature == "communication" {
            let (p, t) = (
                format_duration(costs.pipe_round_trip),
                format_duration(costs.channel_round_trip),
            );
            table += &format!("| round trip, measured | {p} over a pipe | {t} over a channel |\n");
            let shared = format_duration(costs.shared_update);
            table += &format!(
                "| shared update, measured | none: nothing is shared | {shared} under a lock |\n"
            );
        }
    }
    let creation = ratio(costs.process_creation, costs.thread_creation);
    let channel = ratio(costs.pipe_round_trip, costs.channel_round_trip);
    let shared = ratio(costs.pipe_round_trip, costs.shared_update);
    table += &format!(
        "\ncreating a process cost {creation:.1}x creating a thread; a pipe round trip \
         cost {channel:.1}x a channel round trip and {shared:.1}x a shared update.\n"
    );
    table
}

/// A duration the way the table prints it: `850 ns`, `23.4 µs`, `1.27 ms`, `2.50 s`.
pub fn format_duration(d: Duration) -> String {
    let nanos = d.as_nanos();
    if nanos < 1_000 {
        format!("{nanos} ns")
    } else if nanos < 1_000_000 {
        format!("{:.1} µs", nanos as f64 / 1e3)
    } else if nanos < 1_000_000_000 {
        format!("{:.2} ms", nanos as f64 / 1e6)
    } else {
        format!("{:.2} s", nanos as f64 / 1e9)
    }
}

/// How many times `a` is `b`.
pub fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-12)
}

// ANCHOR: measure
/// How many threads or processes one measurement starts, and how many messages
/// one round-trip measurement sends.
const BATCH: usize = 20;
const MESSAGES: u32 = 200;
/// Each figure is the fastest of this many measurements: a pause caused by
/// another program on the machine only ever adds time.
const ROUNDS: usize = 5;

/// Measures the four costs of the table with the functions above; `child`
/// starts the child program (the one whose loop is `serve`).
pub fn measure_costs(child: &mut Command) -> io::Result<Costs> {
    let thread_creation = fastest(|| {
        start_threads(BATCH);
        Ok(())
    })? / BATCH as u32;
    let process_creation = fastest(|| start_processes(child, BATCH).map(drop))? / BATCH as u32;

    let mut worker = ChildWorker::spawn(child)?;
    worker.ask("pid")?; // the first answer also waits for the child to start
    let pipe_round_trip = fastest(|| {
        for _ in 0..MESSAGES {
            worker.ask("add 1")?;
        }
        Ok(())
    })? / MESSAGES;
    let status = worker.finish()?;
    if !status.success() {
        return Err(io::Error::other(format!("the child exited with {status}")));
    }

    let channel_round_trip = channel_round_trip();
    let shared_update = shared_update();
    Ok(Costs {
        process_creation,
        thread_creation,
        pipe_round_trip,
        channel_round_trip,
        shared_update,
    })
}

/// One message to a running thread and its reply, over two channels.
fn channel_round_trip() -> Duration {
    let (to_thread, requests) = mpsc::channel::<u64>();
    let (to_main, replies) = mpsc::channel::<u64>();
    let echo = thread::spawn(move || {
        for n in requests {
            to_main
                .send(n + 1)
                .expect("the main thread waits for every reply");
        }
    });
    let round_trips = fastest(|| {
        for n in 0..u64::from(MESSAGES) {
            to_thread
                .send(n)
                .expect("the echo thread runs until the channel closes");
            replies
                .recv()
                .expect("the echo thread answers every message");
        }
        Ok(())
    })
    .expect("channel round trips cannot fail");
    drop(to_thread);
    echo.join().expect("the echo thread does not panic");
    round_trips / MESSAGES
}

/// One update of a counter behind a `Mutex`, the way threads share memory.
fn shared_update() -> Duration {
    const UPDATES: u32 = 100_000;
    let counter = Mutex::new(0_u64);
    let updates = fastest(|| {
        for _ in 0..UPDATES {
            *counter
                .lock()
                .expect("nothing panics while holding this lock") += 1;
        }
        Ok(())
    })
    .expect("updating a counter cannot fail");
    updates / UPDATES
}

/// The shortest of `ROUNDS` timed runs of `work`.
fn fastest(mut work: impl FnMut() -> io::Result<()>) -> io::Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        work()?;
        best = best.min(start.elapsed());
    }
    Ok(best)
}
// ANCHOR_END: measure
