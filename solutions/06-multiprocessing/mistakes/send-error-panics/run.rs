//! Mistake: "sending cannot fail, the worker is there": the send is unwrapped, so a
//! worker that is already dead turns into a panic in the parent.

use std::io;

use crate::frame;
use crate::job::{Ending, Job, JobError, Output, Reply};
use crate::pool::Worker;
use crate::reap::reap;

impl Worker {
    /// Sends the job (a failure panics), then reads the reply.
    pub fn run(&mut self, index: usize, job: &Job) -> Result<Output, JobError> {
        let pid = self.pid();
        frame::send(&mut self.to_worker, job).expect("could not send the job to the worker");
        let error = match frame::receive::<Reply>(&mut self.from_worker) {
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
            Ok(None) | Err(_) => JobError::WorkerCrashed {
                job: index,
                pid,
                how: Ending::of(reap(&mut self.child)),
            },
        };
        *self = Worker::spawn(self.launch).expect("a replacement worker starts");
        Err(error)
    }
}
