//! The notes' asyncio example: two coroutines that wait at the same time.
//!
//! ```python
//! async def task(name):
//!     print(f"Starting {name}")
//!     await asyncio.sleep(2)  # Non-blocking wait
//!     print(f"Finished {name}")
//!
//! async def main():
//!     await asyncio.gather(task("Task-1"), task("Task-2"))
//! ```

use std::time::Duration;

use crate::event_log::EventLog;

/// How long each of the notes' tasks waits: `asyncio.sleep(2)`.
pub const TASK_WAIT: Duration = Duration::from_secs(2);

/// The notes' `task(name)`: says `Starting {name}` on `log`, waits `wait` without
/// holding the loop's thread, then says `Finished {name}`.
///
/// Read: chapter 08, "The event loop", section "The notes' example"
/// (`tokio::time::sleep`, [`EventLog::say`]).
pub async fn task(name: &str, wait: Duration, log: &EventLog) {
    // TODO: the notes' three lines, with `log` instead of `print`. The wait must hand
    // the thread back to the loop while it waits, as `asyncio.sleep` does.
    todo!()
}

/// The notes' `main()`: runs `task("Task-1")` and `task("Task-2")`, each waiting
/// [`TASK_WAIT`], at the same time, and returns when both are done. On the paused
/// clock the log reads: both start at 0 ms, both finish at 2000 ms.
///
/// Read: chapter 08, "The event loop", section "The notes' example"
/// (`tokio::join!`, asyncio's `gather` for a fixed number of futures).
pub async fn notes_main(log: &EventLog) {
    // TODO: both tasks must wait at once: 2 s in all, not 4.
    todo!()
}
