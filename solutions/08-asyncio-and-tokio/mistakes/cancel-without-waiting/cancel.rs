//! A deadline, and a cancellation reported before the task has ended: the mistake.

use std::time::Duration;

use tokio::time::{sleep, timeout};

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

/// [`slow_operation`]'s answer if it comes within `limit`, `None` if the limit runs out.
pub async fn with_deadline(limit: Duration, log: &EventLog) -> Option<u32> {
    timeout(limit, slow_operation(log)).await.ok()
}

/// The mistake: asks for the cancellation and reports it done, without waiting for the
/// task to end (or noticing that it had already finished).
pub async fn cancel_after(after: Duration, log: &EventLog) -> WorkerEnded {
    let handle = tokio::spawn(worker(log.clone()));
    sleep(after).await;
    handle.abort();
    WorkerEnded::Cancelled
}
