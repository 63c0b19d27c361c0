//! The parent's side: a handle on each worker process, and the pool that owns them.

use std::io::{self, BufReader};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

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
    /// Starts a worker process from `launch()`, with pipes for its stdin and stdout;
    /// its stderr stays the parent's, so a panic message shows up in the terminal.
    pub fn spawn(launch: fn() -> Command) -> io::Result<Worker> {
        let mut child = launch()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let to_worker = child.stdin.take().expect("stdin was asked to be piped");
        let from_worker = child.stdout.take().expect("stdout was asked to be piped");
        Ok(Worker {
            launch,
            child,
            to_worker,
            from_worker: BufReader::new(from_worker),
        })
    }

    /// The worker's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Worker {
    /// Kills the worker and waits for it, so it leaves no zombie behind (as
    /// `Pool.terminate()` does, which `with Pool() as p:` calls on the way out).
    fn drop(&mut self) {
        // Both fail only for a worker that is already gone and reaped: nothing to do.
        let _ = self.child.kill();
        let _ = self.child.wait();
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
        assert!(size > 0, "a pool needs at least one worker");
        let workers = (0..size)
            .map(|_| Worker::spawn(launch))
            .collect::<io::Result<Vec<_>>>()?;
        Ok(Pool { workers })
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
