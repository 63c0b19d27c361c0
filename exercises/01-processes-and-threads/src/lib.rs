//! Exercise 01: processes and threads.
//!
//! Threads of one process share its memory; a child process has memory of its
//! own and talks to its parent over pipes. Replace every `todo!()` below, in the
//! order of the file (it is the order of the checks' steps), then run
//! `cargo xtask check`. The checks start your `ch01-child` binary
//! (`src/bin/ch01-child.rs`), whose whole job is to call your `serve`.
//!
//! `cargo run -q -p ex01-processes-and-threads --bin ch01-table` prints your
//! table once everything works.

// The stubs leave their parameters, imports and fields unused until you fill
// them in; delete this line when you are done if you want the warnings back.
#![allow(unused_variables, unused_mut, unused_imports, dead_code)]

use std::collections::HashMap;
// Two traits are called `Write`: `io::Write` writes bytes (a pipe, stdout), `fmt::Write`
// writes text into a `String`. `as _` brings the second in without its name, so that
// `writeln!` works on both (the primer's "Result, ? and expect" page says more).
use std::fmt::Write as _;
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
///
/// Must hold: `total` grows by exactly `threads * per_thread`; `by_thread` gets
/// one entry per started thread (keyed by that thread's `ThreadId`), each grown by
/// `per_thread`; the calling thread makes no update itself.
///
/// Read: the chapter's page "Threads: one memory, shared", and the primer's
/// "Threads, ownership and scoped threads" (`thread::scope`), "Shared state"
/// (`Mutex` and its guard) and "Everyday pieces" (`HashMap::entry`).
pub fn add_from_threads(shared: &Mutex<Tally>, threads: usize, per_thread: u64) {
    // TODO: start the threads and let each make its updates. The threads borrow
    // `shared` from the caller, so they must all have ended before this returns.
    // An update changes two fields: both changes belong inside one holding of
    // the lock, or another thread can slip in between them.
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
/// | `add N` (N: one or more digits 0-9 and nothing else, as Python's `isdigit`) | the new value of this process's `COUNTER`, after adding N |
/// | `pid` | this process's id, as the OS knows it (`process::id`) |
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
///
/// Must hold: exactly one reply line per request, in order; each reply flushed
/// before the next request is read (the parent waits for it, and `output` may
/// be a buffer that delivers nothing until it is flushed); `add` changes this
/// process's `COUNTER`, not a counter of its own; a malformed request (`add`,
/// `add x`, `add +5`, `add 1 2`, an empty line, a number too large for a `u64`,
/// ...) gets its `error:` line and the loop goes on; `Ok(())` once `input` ends.
///
/// Read: the page's "Talking over a pipe" (one line per message, flushing, the
/// end of input), and the primer's "Results, `?` and `expect`", "Everyday pieces"
/// (`match` on a slice of words) and "Atomics". Useful std pieces:
/// `BufRead::lines`, `str::split_whitespace`, `str::parse`, `writeln!`,
/// `Write::flush`, `AtomicU64::fetch_add`.
pub fn serve(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    // TODO: answer the requests one at a time, as the table above says, until
    // the input runs out. The checks run this in their own process with an
    // output that only delivers what you flush.
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
    ///
    /// Read: the page's "Talking over a pipe" (a child's pipes, `take`); `Command`,
    /// `Stdio` and the `stdin`/`stdout` fields of `std::process::Child`.
    pub fn spawn(command: &mut Command) -> io::Result<ChildWorker> {
        // TODO: start the child with a pipe on its stdin and one on its stdout,
        // keep the parent's ends of both, and read replies through a `BufReader`.
        // Leave stderr alone: a panic in the child then shows in your terminal.
        todo!()
    }

    /// Sends one request line and returns the child's one reply line, without its
    /// line ending. A child that closed its stdout is an error, never a reply.
    ///
    /// Python would write: `parent_end.send(request); return parent_end.recv()`
    ///
    /// Must hold: a child that exits or is killed before it answers gives an
    /// `Err` (of the kind `UnexpectedEof`), never `Ok("")`.
    ///
    /// Read: the page's "Talking over a pipe", section "When the other side is
    /// gone"; `BufRead::read_line` and what it returns at end of file.
    pub fn ask(&mut self, request: &str) -> io::Result<String> {
        // TODO: send the request as one line, then read one reply line. Tell a
        // reply from the end of the pipe: only a reply is `Ok`.
        todo!()
    }

    /// Closes the child's stdin (it reads end-of-file and stops) and waits for it
    /// to exit.
    ///
    /// Python would write: `parent_end.close(); process.join()`
    ///
    /// Must hold: the child has been waited for (reaped) when this returns.
    ///
    /// Read: the page's "Talking over a pipe", section "When the other side is
    /// gone", and "Processes: a memory each", section "Waiting for a child".
    pub fn finish(self) -> io::Result<ExitStatus> {
        // TODO: let the child see the end of its input, then wait for it and hand
        // back how it ended. (A method that takes `self` owns the worker and may take
        // it apart: the primer's threads page, "Owning `self`".)
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
///
/// Must hold: `n` ids of `n` different threads, none of them the caller's; every
/// thread has ended when this returns.
///
/// Read: the primer's "Threads, ownership and scoped threads" (`JoinHandle`).
pub fn start_threads(n: usize) -> Vec<ThreadId> {
    // TODO: start all `n` threads first, then wait for each and keep what it
    // returned: each thread's own id.
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
///
/// Must hold: the ids are those of the `n` children, as the OS gave them; the
/// children read nothing from the parent's stdin (in a terminal they would wait
/// for the keyboard) and write nothing to its stdout; every child has been
/// waited for when this returns, also when one of them failed.
///
/// Read: the page's "Processes: a memory each", sections "What a child
/// inherits" and "Waiting for a child"; `Stdio`, `Command::spawn`,
/// `Child::wait`, `ExitStatus::success`, `Error::other`.
pub fn start_processes(command: &mut Command, n: usize) -> io::Result<Vec<u32>> {
    // TODO: start all `n` children first (one `Command` can start many), then
    // wait for every one of them, and only then say whether one failed.
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
///
/// Must hold: the words and the layout are those of the saved snapshot,
/// `tests/snapshots/table.snap`, where every duration reads `[time]` and every ratio
/// `[ratio]`; in your table, a duration is `format_duration` of the cost, and a ratio
/// is `ratio` of the two costs, printed with one decimal (`{:.1}`) and followed by `x`.
/// The ratios' sentence compares process creation with thread creation, then the
/// pipe round trip with the channel round trip and with the shared update. Every
/// line ends with a newline, the last one too.
///
/// Read: "What it costs" on the chapter's pages shows a table as it prints.
pub fn render_table(costs: &Costs) -> String {
    // TODO: build the text line by line, from NOTES and the costs.
    todo!()
}
