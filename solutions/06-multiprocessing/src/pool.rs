//! The parent's side: a handle on each worker process, and the pool that owns them.

use std::io::{self, BufReader};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use crate::dispatch;
use crate::frame;
use crate::job::{Ending, Job, JobError, Output, Reply};
use crate::reap::reap;

// ANCHOR: worker
/// The parent's handle on one worker process: the child, and the parent's ends of its
/// stdin (jobs go in) and stdout (replies come out).
pub struct Worker {
    launch: fn() -> Command,
    child: Child,
    to_worker: ChildStdin,
    from_worker: BufReader<ChildStdout>,
}
// ANCHOR_END: worker

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

    // ANCHOR: run
    /// Sends job number `index` to the worker and waits for its reply. A worker that
    /// dies first (its stdout ends, or its stdin is broken) or answers nonsense is
    /// reported with the job it held, and replaced by a fresh one before this returns.
    pub fn run(&mut self, index: usize, job: &Job) -> Result<Output, JobError> {
        let pid = self.pid();
        let answer = frame::send(&mut self.to_worker, job)
            .and_then(|()| frame::receive::<Reply>(&mut self.from_worker));
        let error = match answer {
            Ok(Some(reply)) => match Output::try_from(reply) {
                Ok(output) => return Ok(output),
                Err(why) => JobError::BadReply {
                    job: index,
                    pid,
                    why,
                },
            },
            Err(e) if e.kind() == io::ErrorKind::InvalidData => JobError::BadReply {
                job: index,
                pid,
                why: e.to_string(),
            },
            // End of its output, or a broken pipe: the worker is gone. Waiting for it
            // tells how it ended, and reaps it.
            Ok(None) | Err(_) => JobError::WorkerCrashed {
                job: index,
                pid,
                how: Ending::of(reap(&mut self.child)),
            },
        };
        self.replace();
        Err(error)
    }
    // ANCHOR_END: run

    /// Swaps this worker for a fresh process; the old one is killed and reaped by its
    /// `Drop`.
    fn replace(&mut self) {
        let fresh = Worker::spawn(self.launch).unwrap_or_else(|e| {
            panic!(
                "could not start a worker to replace pid {}: {e}",
                self.pid()
            )
        });
        *self = fresh;
    }
}

// ANCHOR: drop
impl Drop for Worker {
    /// Kills the worker and waits for it, so it leaves no zombie behind (as
    /// `Pool.terminate()` does, which `with Pool() as p:` calls on the way out).
    fn drop(&mut self) {
        // Both fail only for a worker that is already gone and reaped: nothing to do.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
// ANCHOR_END: drop

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
