//! Mistake: a worker whose output ended is taken for one that sent an empty reply.

use crate::frame;
use crate::job::{Job, JobError, Output, Reply};
use crate::pool::Worker;

impl Worker {
    /// Sends the job and reads the reply; anything but a good reply is a "bad reply".
    pub fn run(&mut self, index: usize, job: &Job) -> Result<Output, JobError> {
        let pid = self.pid();
        let answer = frame::send(&mut self.to_worker, job)
            .and_then(|()| frame::receive::<Reply>(&mut self.from_worker));
        let why = match answer {
            Ok(Some(reply)) => match Output::try_from(reply) {
                Ok(output) => return Ok(output),
                Err(why) => why,
            },
            Ok(None) => "the reply was empty".to_string(),
            Err(e) => e.to_string(),
        };
        *self = Worker::spawn(self.launch).expect("a replacement worker starts");
        Err(JobError::BadReply {
            job: index,
            pid,
            why,
        })
    }
}
