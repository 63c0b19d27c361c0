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
    // TODO: `tokio::time::timeout(limit, future).await` is `Ok(output)` in time and
    // `Err(Elapsed)` when the limit ran out, after dropping the future. `.ok()`.
    todo!()
}

/// Starts [`worker`] as a task of its own, waits `after`, cancels it, and returns how
/// it ended once it has: `task = asyncio.create_task(worker()); await asyncio.sleep(after);
/// task.cancel()`.
pub async fn cancel_after(after: Duration, log: &EventLog) -> WorkerEnded {
    // TODO: `let handle = tokio::spawn(worker(log.clone()));`, `sleep(after).await`,
    // then `handle.abort()` and `handle.await`: `Ok(steps)` if the worker finished
    // anyway, `Err(e)` with `e.is_cancelled()` if it was cancelled.
    // Dropping the handle is not cancelling: the task would run on, unwatched.
    todo!()
}
