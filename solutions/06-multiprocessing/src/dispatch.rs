//! Handing the jobs out: every worker busy at once, the results back in job order.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use crate::job::{Job, JobError, Output};
use crate::pool::Worker;

/// Runs `jobs` on `workers`, all workers at once, and returns the results in the order
/// of `jobs`. One parent thread per worker takes the next job, sends it, waits for
/// the reply, and goes back for another until none is left.
pub(crate) fn dispatch(workers: &mut [Worker], jobs: &[Job]) -> Vec<Result<Output, JobError>> {
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<Result<Output, JobError>>> = vec![None; jobs.len()];
    thread::scope(|s| {
        let feeders: Vec<_> = workers
            .iter_mut()
            .map(|worker| {
                let next = &next;
                s.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break done };
                        done.push((i, worker.run(i, job)));
                    }
                })
            })
            .collect();
        for feeder in feeders {
            let done = feeder.join().expect("a feeder thread panicked");
            for (i, result) in done {
                results[i] = Some(result);
            }
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every job was taken by a feeder"))
        .collect()
}
