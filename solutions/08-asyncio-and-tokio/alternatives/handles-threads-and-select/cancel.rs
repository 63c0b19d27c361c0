//! A deadline with `select!`, and a cancellation through a JoinSet.

use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::sleep;

use crate::event_log::EventLog;
use crate::slow_work::{slow_operation, worker};

/// How a [`worker`] task ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerEnded {
    /// It took every step and returned how many.
    Finished(u32),
    /// It was cancelled before it finished.
    Cancelled,
}

/// [`slow_operation`]'s answer if it comes within `limit`, `None` if the limit runs out
/// first; `select!` drops the branch that loses.
pub async fn with_deadline(limit: Duration, log: &EventLog) -> Option<u32> {
    tokio::select! {
        answer = slow_operation(log) => Some(answer),
        () = sleep(limit) => None,
    }
}

/// Starts [`worker`] in a JoinSet, waits `after`, aborts everything in the set and
/// waits for the worker to end.
pub async fn cancel_after(after: Duration, log: &EventLog) -> WorkerEnded {
    let mut set = JoinSet::new();
    set.spawn(worker(log.clone()));
    sleep(after).await;
    set.abort_all();
    match set.join_next().await {
        Some(Ok(steps)) => WorkerEnded::Finished(steps),
        Some(Err(error)) if error.is_cancelled() => WorkerEnded::Cancelled,
        Some(Err(error)) => std::panic::resume_unwind(error.into_panic()),
        None => unreachable!("one task was spawned"),
    }
}
