//! Step 5 of 5: handing the jobs out, every worker busy at once, the results back in
//! job order. Read: chapter 06, "A pool of processes", section "Every worker busy at
//! once".

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use crate::job::{Job, JobError, Output};
use crate::pool::Worker;

/// Runs `jobs` on `workers` and returns the results in the order of `jobs`: result `i`
/// is job `i`'s, whichever worker ran it and whenever it finished.
///
/// Guarantees:
/// - every worker holds a job at the same moment while jobs are left, however many
///   workers there are (not as many as the machine has cores);
/// - a crashed job costs only its own result: its worker is replaced inside
///   `Worker::run`, and the other jobs go on.
///
/// `Worker::run` sends one job and waits for its reply, so a loop that calls it for
/// each job in turn keeps one worker busy and the others idle. Python's `Pool` has a
/// thread that feeds the workers' queue and one that collects results; here one parent
/// thread per worker can do both for its worker.
///
/// APIs: `thread::scope`, and a way for the threads to take each job exactly once
/// (the page shows one; the primer's atomics page another).
pub(crate) fn dispatch(workers: &mut [Worker], jobs: &[Job]) -> Vec<Result<Output, JobError>> {
    // TODO: how does each worker get the next job nobody has taken yet, and how does
    // each result find its place among the others?
    todo!()
}
