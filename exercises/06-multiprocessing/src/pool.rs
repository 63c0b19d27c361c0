//! Step 3 of 5: the parent's handle on each worker process, and the pool that owns
//! them: starting workers, and stopping them without leaving a process behind.
//! Read: chapter 06, "Talking to a worker", section "Starting and stopping a worker".

use std::io::{self, BufReader};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::thread;

use crate::dispatch;
use crate::job::{Job, JobError, Output};

/// The parent's handle on one worker process: the child, and the parent's ends of its
/// stdin (jobs go in) and stdout (replies come out).
pub struct Worker {
    /// Builds the command that starts a worker, for this one and its replacements.
    pub(crate) launch: fn() -> Command,
    pub(crate) child: Child,
    pub(crate) to_worker: ChildStdin,
    pub(crate) from_worker: BufReader<ChildStdout>,
}

impl Worker {
    /// Starts a worker process from `launch()`, with a pipe on its stdin and one on its
    /// stdout; its stderr stays the parent's, so a worker's panic message shows up in
    /// the terminal. A program that cannot be started is an `Err`, not a panic.
    ///
    /// Python: `Process(target=worker, args=(inqueue, outqueue)).start()`.
    /// APIs: `Command::stdin`, `Command::stdout`, `Stdio::piped`, `Command::spawn`,
    /// `Child::stdin` and `Child::stdout` (an `Option` to `take()`), `BufReader::new`.
    pub fn spawn(launch: fn() -> Command) -> io::Result<Worker> {
        // TODO: start the process with both pipes and keep the parent's ends, and
        // `launch` for the replacements (step 4).
        todo!()
    }

    /// The worker's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Worker {
    /// Stops the worker and waits for it, so that neither a running process nor a
    /// zombie (a dead process still holding its pid until its parent waits for it) is
    /// left behind: what `Pool.terminate()` does, which `with Pool() as p:` calls on
    /// the way out. Must not hang: a worker waits for jobs for as long as its stdin is
    /// open, and the parent's end of that pipe closes only after `drop` returns.
    ///
    /// APIs: `Child::kill`, `Child::wait` (both fail only for a worker already gone and
    /// reaped: nothing to do then).
    fn drop(&mut self) {
        // TODO: a dropped `Child` is neither stopped nor waited for; do both, in the
        // order that cannot hang.
        //
        // (The `if` keeps a panic elsewhere from turning into an abort while this is
        // unwritten; you can delete it with the `todo!()`.)
        if !thread::panicking() {
            todo!()
        }
    }
}

/// A pool of worker processes, each running its own interpreter
/// (`multiprocessing.Pool(size)`).
pub struct Pool {
    workers: Vec<Worker>,
}

impl Pool {
    /// Starts `size` workers, each from `launch()`. If one cannot start, returns its
    /// error, and the workers already started are stopped (none is left running).
    ///
    /// # Panics
    /// If `size` is 0, as `multiprocessing.Pool(0)` raises `ValueError`.
    pub fn new(size: usize, launch: fn() -> Command) -> io::Result<Pool> {
        // TODO: refuse an empty pool, then start the workers; a failed start is
        // passed on, and whatever was started is dropped on the way out.
        todo!()
    }

    /// How many workers the pool has.
    pub fn size(&self) -> usize {
        self.workers.len()
    }

    /// The process ids of its workers now (a crashed worker's replacement has a new one).
    pub fn pids(&self) -> Vec<u32> {
        self.workers.iter().map(Worker::pid).collect()
    }

    /// Runs every job on the workers and returns the results in the order of `jobs`
    /// (`pool.map(f, jobs)`); a job whose worker crashed gets a [`JobError`] in its place.
    pub fn map(&mut self, jobs: &[Job]) -> Vec<Result<Output, JobError>> {
        dispatch::dispatch(&mut self.workers, jobs)
    }
}
