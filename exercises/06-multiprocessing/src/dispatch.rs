//! Handing the jobs out: every worker busy at once, the results back in job order.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use crate::job::{Job, JobError, Output};
use crate::pool::Worker;

/// Runs `jobs` on `workers`, all workers at once, and returns the results in the
/// order of `jobs`: result `i` is job `i`'s.
///
/// `Worker::run` sends one job and waits for its reply, so a loop that calls it for
/// each job in turn keeps one worker busy and the others idle. Python's `Pool` has a
/// thread that feeds the workers' queue and one that collects results; here one
/// parent thread per worker does both for its worker.
pub(crate) fn dispatch(workers: &mut [Worker], jobs: &[Job]) -> Vec<Result<Output, JobError>> {
    // TODO: in `thread::scope(|s| ...)`, start one thread per worker
    // (`workers.iter_mut()` gives each thread its own `&mut Worker`). Each thread
    // loops: take the next job's index from a shared `AtomicUsize`
    // (`next.fetch_add(1, Ordering::Relaxed)`), stop when it is past the end, else
    // `worker.run(i, &jobs[i])` and keep `(i, result)`. Return what it kept.
    // Join every thread and put each result at its index: a
    // `Vec<Option<Result<..>>>` of `jobs.len()` `None`s works, unwrapped at the end.
    // A worker that crashes is already replaced inside `Worker::run`, so its thread
    // just goes on to the next job.
    todo!()
}
