//! Exercise 01: processes and threads.
//!
//! Threads of one process share its memory; a child process has memory of its
//! own and talks to its parent over pipes. Replace every `todo!()` below, then
//! run `cargo xtask check`. The checks start your `ch01-child` binary
//! (`src/bin/ch01-child.rs`), whose whole job is to call your `serve`.
//!
//! `cargo run -q -p ex01-processes-and-threads --bin ch01-table` prints your
//! table once everything works.

// The stubs leave their parameters, imports and fields unused until you fill
// them in; delete this line when you are done if you want the warnings back.
#![allow(unused_variables, unused_mut, unused_imports, dead_code)]

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
///
/// Python would write:
///
/// ```python
/// tally = {"total": 0, "by_thread": {}}
/// lock = threading.Lock()
///
/// def work(per_thread):
///     me = threading.get_ident()
///     for _ in range(per_thread):
///         with lock:
///             tally["total"] += 1
///             tally["by_thread"][me] = tally["by_thread"].get(me, 0) + 1
///
/// workers = [threading.Thread(target=work, args=(per_thread,)) for _ in range(threads)]
/// for t in workers: t.start()
/// for t in workers: t.join()
/// ```
pub fn add_from_threads(shared: &Mutex<Tally>, threads: usize, per_thread: u64) {
    // TODO: start `threads` threads. Each one makes `per_thread` updates; one
    // update = lock `shared`, add 1 to `total`, add 1 to this thread's entry in
    // `by_thread` (its key is `thread::current().id()`), unlock.
    // Return only when every thread has finished.
    //
    // `thread::scope(|s| { ... s.spawn(|| ...) ... })` lets the threads borrow
    // `shared` from the caller and joins them all when the scope ends.
    // Do the whole update while you hold the lock: a read under one lock and a
    // write under another loses updates, and the check counts every one.
    todo!()
}

// ---------------------------------------------------------------------------
// The child: another process, another memory.
// ---------------------------------------------------------------------------

// ANCHOR: counter
/// A global counter, like a module-level `counter = 0` in Python. Every process
/// that runs this library has a copy of its own, starting at zero.
pub static COUNTER: AtomicU64 = AtomicU64::new(0);
// ANCHOR_END: counter

/// The child's loop: answers each request line of `input` with one reply line
/// on `output`, flushed, until `input` ends.
///
/// | request | reply |
/// |---|---|
/// | `add N` (N a whole number ≥ 0) | the new value of this process's `COUNTER`, after adding N |
/// | `pid` | this process's id, `std::process::id()` |
/// | anything else | a line that starts with `error:` |
///
/// Python would write (the child's end of a `multiprocessing.Pipe`):
///
/// ```python
/// def serve(conn):
///     global counter
///     while True:
///         try:
///             request = conn.recv()
///         except EOFError:
///             return
///         match request.split():
///             case ["add", n] if n.isdigit():
///                 counter += int(n)
///                 conn.send(str(counter))
///             case ["pid"]:
///                 conn.send(str(os.getpid()))
///             case _:
///                 conn.send(f"error: unknown request {request!r}")
/// ```
pub fn serve(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    // TODO: for each line of `input` (`input.lines()`), work out the reply from
    // the table above, write it as one line (`writeln!`) and flush `output`;
    // the parent waits for that line before it sends the next request.
    // When the lines run out, the parent has closed the pipe: return Ok(()).
    //
    // `request.split_whitespace()` gives the words; `"17".parse::<u64>()` gives
    // `Ok(17)`, `"-3".parse::<u64>()` an `Err`. `add` adds to `COUNTER` with
    // `COUNTER.fetch_add(n, Ordering::SeqCst)`, which returns the value before.
    // A malformed request (`add`, `add x`, `add 1 2`, an empty line, ...) gets an
    // `error: ...` reply, and the loop goes on.
    todo!()
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
    ///
    /// Python would write:
    /// `parent_end, child_end = Pipe(); Process(target=serve, args=(child_end,)).start()`
    pub fn spawn(command: &mut Command) -> io::Result<ChildWorker> {
        // TODO: ask for both pipes, `command.stdin(Stdio::piped())` and
        // `.stdout(Stdio::piped())`, then `.spawn()?` the child. Take the parent's
        // ends out of it with `child.stdin.take()` and `child.stdout.take()` (they
        // are `Some` because you asked for pipes) and wrap stdout in a
        // `BufReader` to read it line by line. Leave stderr alone: a panic in the
        // child then shows up in your terminal.
        todo!()
    }

    /// Sends one request line and returns the child's one reply line, without its
    /// line ending. A child that closed its stdout is an error, never a reply.
    ///
    /// Python would write: `parent_end.send(request); return parent_end.recv()`
    pub fn ask(&mut self, request: &str) -> io::Result<String> {
        // TODO: write `request` and a newline to `self.to_child` and flush it;
        // read one line from `self.from_child` with `read_line`. If `read_line`
        // returns Ok(0), the child has closed its stdout (it exited, or crashed):
        // return an `io::Error` that says so (`io::ErrorKind::UnexpectedEof`).
        // Otherwise strip the trailing "\n" and return the line.
        todo!()
    }

    /// Closes the child's stdin (it reads end-of-file and stops) and waits for it
    /// to exit.
    ///
    /// Python would write: `parent_end.close(); process.join()`
    pub fn finish(self) -> io::Result<ExitStatus> {
        // TODO: take `self` apart (`let ChildWorker { mut child, to_child, from_child } = self;`),
        // drop `to_child` so the child reads end-of-file, then `child.wait()`.
        // Waiting while the pipe is still open would wait forever: the child is
        // waiting for your next request.
        todo!()
    }
}

// ---------------------------------------------------------------------------
// What creating one costs.
// ---------------------------------------------------------------------------

/// Starts `n` threads that do nothing but report who they are, waits for all of
/// them and returns their ids.
///
/// Python would write:
///
/// ```python
/// workers = [threading.Thread(target=lambda: None) for _ in range(n)]
/// for t in workers: t.start()
/// for t in workers: t.join()
/// ```
pub fn start_threads(n: usize) -> Vec<ThreadId> {
    // TODO: spawn `n` threads with `thread::spawn`, each returning
    // `thread::current().id()`; keep the `JoinHandle`s, then join every one and
    // collect what the threads returned.
    todo!()
}

/// Starts `n` processes of `command` with nothing to read, waits for all of them
/// and returns their process ids. A child that does not exit successfully is an
/// error.
///
/// Python would write:
///
/// ```python
/// def nothing():
///     pass
///
/// workers = [multiprocessing.Process(target=nothing) for _ in range(n)]
/// for p in workers: p.start()
/// for p in workers: p.join()
/// ```
pub fn start_processes(command: &mut Command, n: usize) -> io::Result<Vec<u32>> {
    // TODO: give the children nothing to read, `command.stdin(Stdio::null())`
    // (they see end-of-file at once and exit), and nowhere to write,
    // `.stdout(Stdio::null())`. Spawn `n` children (`command.spawn()?`, the same
    // `Command` can start many), then `wait()` for each and collect `child.id()`.
    // A status that is not `success()` becomes an error that names it:
    // `io::Error::other(format!("child {} exited with {status}", child.id()))`.
    todo!()
}

// ---------------------------------------------------------------------------
// The table.
// ---------------------------------------------------------------------------

// The measuring code and the notes' rows are written for you, in measure.rs.
mod measure;
pub use measure::{Costs, NOTES, format_duration, measure_costs, ratio};

/// The notes' table as Markdown, with measured rows after `creation` and after
/// `communication`, then the ratios between them.
pub fn render_table(costs: &Costs) -> String {
    // TODO: build this text, line by line (`P(x)` is `format_duration(costs.x)`,
    // `R(a, b)` is `ratio(costs.a, costs.b)` printed with `{:.1}`):
    //
    //   | | process | thread |
    //   |---|---|---|
    //   one line `| feature | process | thread |` per entry of NOTES, in order;
    //   right after the `creation` line:
    //   | creation, measured | P(process_creation) each | P(thread_creation) each |
    //   right after the `communication` line, two lines:
    //   | round trip, measured | P(pipe_round_trip) over a pipe | P(channel_round_trip) over a channel |
    //   | shared update, measured | none: nothing is shared | P(shared_update) under a lock |
    //   then an empty line, and this one line:
    //   creating a process cost R(process_creation, thread_creation)x creating a thread; a pipe round trip cost R(pipe_round_trip, channel_round_trip)x a channel round trip and R(pipe_round_trip, shared_update)x a shared update.
    //
    // Every line ends with "\n". The check compares the words and the layout with
    // a snapshot (numbers hidden) and looks for your numbers in the lines above.
    todo!()
}
