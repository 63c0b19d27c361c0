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

// The measuring code and the notes' rows are the exercise's own file, used as is.
#[path = "../../../exercises/01-processes-and-threads/src/measure.rs"]
mod measure;
pub use measure::{Costs, NOTES, format_duration, measure_costs, ratio};

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
