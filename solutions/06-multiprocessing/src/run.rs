//! One job on one worker, and what the parent does when the worker dies holding it.

use std::io;

use crate::frame;
use crate::job::{Ending, Job, JobError, Output, Reply};
use crate::pool::Worker;
use crate::reap::reap;

impl Worker {
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
