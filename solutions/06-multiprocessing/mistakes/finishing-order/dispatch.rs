//! Mistake: the results come back in the order they finished. Every worker is busy at
//! once, every value is right, but a short job sent after a long one is listed first.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

use crate::job::{Job, JobError, Output};
use crate::pool::Worker;

/// One feeder thread per worker; each result goes on a channel as soon as it is in.
pub(crate) fn dispatch(workers: &mut [Worker], jobs: &[Job]) -> Vec<Result<Output, JobError>> {
    let next = AtomicUsize::new(0);
    let (done, results) = mpsc::channel();
    thread::scope(|s| {
        for worker in workers.iter_mut() {
            let (next, done) = (&next, done.clone());
            s.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let _ = done.send(worker.run(i, job));
                }
            });
        }
    });
    drop(done);
    results.into_iter().collect()
}
