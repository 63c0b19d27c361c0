//! A deadline (`asyncio.wait_for`) and a cancellation (`task.cancel()`).

use std::time::Duration;

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
/// first: `await asyncio.wait_for(slow_operation(), limit)`.
///
/// What the checks hold you to: the answer, after the operation's own time, when the
/// limit is longer; `None` exactly at the limit when it is shorter, with the operation
/// stopped there (its cleanup runs at the limit, and it never says it is done).
///
/// Read: chapter 08, "Deadlines and cancellation" (`timeout`, in `tokio::time`).
pub async fn with_deadline(limit: Duration, log: &EventLog) -> Option<u32> {
    // TODO: run the slow operation under a deadline, and turn a miss into `None`. Rust
    // has no `CancelledError`: what stops a future at the limit and runs its cleanup?
    todo!()
}

/// Starts [`worker`]`(log.clone())` as a task of its own, waits `after`, cancels it, and
/// returns how it ended, once it has ended:
///
/// ```python
/// task = asyncio.create_task(worker())
/// await asyncio.sleep(after)
/// task.cancel()
/// try:
///     return Finished(await task)
/// except asyncio.CancelledError:
///     return Cancelled
/// ```
///
/// What the checks hold you to: after the cancellation the worker takes no more steps;
/// when `cancel_after` returns, the worker has really ended (its cleanup has run), not
/// merely been asked to; a worker that finished before `after` is `Finished(steps)`.
///
/// Read: chapter 08, "Deadlines and cancellation" (`tokio::spawn`, `JoinHandle::abort`,
/// `JoinError::is_cancelled`).
pub async fn cancel_after(after: Duration, log: &EventLog) -> WorkerEnded {
    // TODO: the Python above, step by step. Once you have asked for the cancellation, how
    // do you learn that the worker has really ended, and how it ended? And what does a
    // task do when nobody holds its handle any more?
    todo!()
}
