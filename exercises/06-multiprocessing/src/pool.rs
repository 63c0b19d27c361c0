//! The parent's side: a handle on each worker process, and the pool that owns them.

use std::io::{self, BufReader};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::dispatch;
use crate::frame;
use crate::reap::reap;
use crate::job::{Ending, Job, JobError, Output, Reply};


/// The parent's handle on one worker process: the child, and the parent's ends of its
/// stdin (jobs go in) and stdout (replies come out).
pub struct Worker {
    /// Builds the command that starts a worker, for this one and its replacements.
    launch: fn() -> Command,
    child: Child,
    to_worker: ChildStdin,
    from_worker: BufReader<ChildStdout>,
}

impl Worker {
    /// Starts a worker process from `launch()`, with pipes for its stdin and stdout;
    /// its stderr stays the parent's, so a panic message shows up in the terminal.
    ///
    /// Python would write: `Process(target=worker, args=(inqueue, outqueue)).start()`
    pub fn spawn(launch: fn() -> Command) -> io::Result<Worker> {
        // TODO: `launch()` gives a `Command`; ask for both pipes,
        // `.stdin(Stdio::piped()).stdout(Stdio::piped())`, then `.spawn()?`. Take the
        // parent's ends out of the child with `child.stdin.take()` and
        // `child.stdout.take()` (they are `Some` because you asked for pipes), wrap
        // stdout in a `BufReader`, and keep `launch` for the replacements.
        // (Chapter 01's `ChildWorker::spawn` is the same start.)
        todo!()
    }

    /// The worker's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends job number `index` to the worker and waits for its reply. A worker that
    /// dies first (its stdout ends, or its stdin is broken) or answers nonsense is
    /// reported with the job it held, and replaced by a fresh one before this returns.
    ///
    /// Python's `Pool` cannot do this: when a worker dies holding a task, `map` waits
    /// for that task forever. `concurrent.futures.ProcessPoolExecutor` notices, but
    /// then fails every pending job with `BrokenProcessPool`.
    pub fn run(&mut self, index: usize, job: &Job) -> Result<Output, JobError> {
        // TODO: `frame::send(&mut self.to_worker, job)`, then
        // `frame::receive::<Reply>(&mut self.from_worker)`. Then:
        // - `Ok(Some(reply))`: `Output::try_from(reply)` is the result (its `Err` is a
        //   `JobError::BadReply`);
        // - an error of kind `io::ErrorKind::InvalidData` (a line that is no reply):
        //   `JobError::BadReply`;
        // - `Ok(None)` (its stdout ended) or any other error (a broken pipe): the
        //   worker is gone. `reap(&mut self.child)` waits for it and gives its exit
        //   status; `Ending::of(status)` says how it ended:
        //   `JobError::WorkerCrashed { job: index, pid, how }`.
        // After any error, replace the worker before you return it:
        // `*self = Worker::spawn(self.launch).expect("...")` (the old value is
        // dropped, and your `Drop` kills and reaps it). Read `self.pid()` first.
        todo!()
    }
}

impl Drop for Worker {
    /// Kills the worker and waits for it, so it leaves no zombie behind (as
    /// `Pool.terminate()` does, which `with Pool() as p:` calls on the way out).
    fn drop(&mut self) {
        // TODO: `self.child.kill()`, then `self.child.wait()`. Dropping a `Child` does
        // neither: the process would run on, and once it ends it stays a zombie (a
        // dead process still holding its pid) until someone waits for it. Ignore both
        // results (`let _ = ...`): they fail only for a worker already gone and reaped.
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
    /// Starts `size` workers, each from `launch()`.
    ///
    /// # Panics
    /// If `size` is 0, as `multiprocessing.Pool(0)` raises `ValueError`.
    pub fn new(size: usize, launch: fn() -> Command) -> io::Result<Pool> {
        // TODO: `assert!(size > 0, ...)`, then start `size` workers with
        // `Worker::spawn(launch)`. If one fails, return its error: the workers already
        // started are dropped on the way out, and your `Drop` stops them.
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
