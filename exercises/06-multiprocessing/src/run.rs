//! Step 4 of 5: one job on one worker, and what the parent does when the worker dies
//! holding it. Read: chapter 06, "When a worker dies" ("Talking to a worker") and "A
//! crash costs one job" ("A pool of processes").

use std::io;

use crate::frame;
use crate::job::{Ending, Job, JobError, Output, Reply};
use crate::pool::Worker;
use crate::reap::reap;

impl Worker {
    /// Sends job number `index` to this worker and waits for its reply.
    ///
    /// Guarantees:
    /// - a reply becomes the job's `Output` (a reply whose interval does not parse is
    ///   a `BadReply`);
    /// - a worker that is gone (its stdout ended, or the job could not even be sent
    ///   because its stdin is broken) is a `WorkerCrashed` error, with this job's
    ///   index, the dead worker's pid and how it ended; it is reaped, never left a
    ///   zombie;
    /// - a line that is no reply is a `BadReply` error, with what was wrong;
    /// - after any error, this `Worker` is a fresh process started from the same
    ///   `launch` before `run` returns, so the next job finds a working worker. If even
    ///   that fresh process cannot be started, the pool cannot go on: panic, naming the
    ///   dead worker's pid (`run`'s error type has no room for an `io::Error`).
    ///
    /// Python's `Pool` cannot do this: when a worker dies holding a task, `map` waits
    /// for that task forever. `concurrent.futures.ProcessPoolExecutor` notices, but
    /// then fails every pending job with `BrokenProcessPool`.
    ///
    /// APIs: `frame::send`, `frame::receive`, `io::Error::kind`, `try_from` on `Output`,
    /// `reap` (given, in `reap.rs`: waits for a worker that closed its stdout, and
    /// gives its exit status), `Ending::of`, `Worker::spawn`.
    pub fn run(&mut self, index: usize, job: &Job) -> Result<Output, JobError> {
        // TODO: tell the three outcomes apart (an answer, a nonsense line, a dead
        // worker), and remember the old pid before a replacement takes its place.
        todo!()
    }
}
