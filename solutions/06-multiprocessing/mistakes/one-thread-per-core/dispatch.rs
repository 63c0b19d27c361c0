//! Mistake: as many feeder threads as the machine has cores, not as the pool has
//! workers. On a machine with as many cores as workers it is right; with more workers
//! than cores, the extra workers sit idle while their thread waits on another one.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use crate::job::{Job, JobError, Output};
use crate::pool::Worker;

/// One thread per core; each takes the next job and gives it to the next of its own
/// workers, waiting for the reply before it goes on.
pub(crate) fn dispatch(workers: &mut [Worker], jobs: &[Job]) -> Vec<Result<Output, JobError>> {
    let cores = thread::available_parallelism().map_or(2, |n| n.get());
    let per_thread = workers.len().div_ceil(cores).max(1);
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<Result<Output, JobError>>> = vec![None; jobs.len()];
    thread::scope(|s| {
        let feeders: Vec<_> = workers
            .chunks_mut(per_thread)
            .map(|mine| {
                let next = &next;
                s.spawn(move || {
                    let mut done = Vec::new();
                    for turn in 0.. {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        let worker = &mut mine[turn % mine.len()];
                        done.push((i, worker.run(i, job)));
                    }
                    done
                })
            })
            .collect();
        for feeder in feeders {
            for (i, result) in feeder.join().expect("a feeder thread panicked") {
                results[i] = Some(result);
            }
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every job was taken"))
        .collect()
}
