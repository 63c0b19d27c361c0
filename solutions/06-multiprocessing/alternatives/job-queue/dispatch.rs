//! Another correct `dispatch`: a shared queue of job indices (a channel's receiver
//! behind a mutex) and a channel of `(index, result)` pairs back.

use std::sync::{Mutex, mpsc};
use std::thread;

use crate::job::{Job, JobError, Output};
use crate::pool::Worker;

/// One feeder thread per worker takes indices from the queue until it is empty.
pub(crate) fn dispatch(workers: &mut [Worker], jobs: &[Job]) -> Vec<Result<Output, JobError>> {
    let (queue, indices) = mpsc::channel();
    for i in 0..jobs.len() {
        queue.send(i).expect("the receiver is alive");
    }
    drop(queue);
    let indices = Mutex::new(indices);
    let (done, finished) = mpsc::channel();
    thread::scope(|s| {
        for worker in workers.iter_mut() {
            let (indices, done) = (&indices, done.clone());
            s.spawn(move || {
                loop {
                    let next = indices.lock().expect("no feeder panics holding it").recv();
                    let Ok(i) = next else { break };
                    let _ = done.send((i, worker.run(i, &jobs[i])));
                }
            });
        }
    });
    drop(done);
    let mut results: Vec<(usize, Result<Output, JobError>)> = finished.into_iter().collect();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, result)| result).collect()
}
