//! A deadline (`asyncio.wait_for`), and a cancellation that is not one.

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

/// [`slow_operation`]'s answer if it comes within `limit`, `None` if the limit runs out
/// first (then the operation is dropped): `asyncio.wait_for(slow_operation(), limit)`.
pub async fn with_deadline(limit: Duration, log: &EventLog) -> Option<u32> {
    timeout(limit, slow_operation(log)).await.ok()
}

/// The mistake: starts [`worker`], waits `after`, and drops the handle, believing
/// that cancels the task. It does not: the task is detached and runs on.
pub async fn cancel_after(after: Duration, log: &EventLog) -> WorkerEnded {
    let handle = tokio::spawn(worker(log.clone()));
    sleep(after).await;
    drop(handle);
    WorkerEnded::Cancelled
}
