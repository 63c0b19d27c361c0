//! A deadline (`asyncio.wait_for`) and a cancellation (`task.cancel()`).

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

/// Starts [`worker`] as a task of its own, waits `after`, cancels it, and returns how
/// it ended once it has: `task = asyncio.create_task(worker()); await asyncio.sleep(after);
/// task.cancel()`.
pub async fn cancel_after(after: Duration, log: &EventLog) -> WorkerEnded {
    let handle = tokio::spawn(worker(log.clone()));
    sleep(after).await;
    handle.abort();
    match handle.await {
        Ok(steps) => WorkerEnded::Finished(steps),
        Err(error) if error.is_cancelled() => WorkerEnded::Cancelled,
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}
