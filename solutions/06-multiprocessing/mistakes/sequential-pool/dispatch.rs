//! Mistake: the jobs go out one at a time. Each is sent, its reply awaited, and only
//! then is the next one sent, so however many workers the pool has, one computes.

use crate::job::{Job, JobError, Output};
use crate::pool::Worker;

/// Round-robins the jobs over the workers, but waits for each reply before it sends
/// the next job: every worker is used, never two at once.
pub(crate) fn dispatch(workers: &mut [Worker], jobs: &[Job]) -> Vec<Result<Output, JobError>> {
    let n = workers.len();
    jobs.iter()
        .enumerate()
        .map(|(i, job)| workers[i % n].run(i, job))
        .collect()
}
