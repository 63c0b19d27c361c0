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

use tokio::time::sleep;

use crate::event_log::EventLog;

/// How long each of the notes' tasks waits: `asyncio.sleep(2)`.
pub const TASK_WAIT: Duration = Duration::from_secs(2);

/// The notes' `task(name)`: says `Starting {name}`, waits `wait` without blocking the
/// loop, says `Finished {name}`.
pub async fn task(name: &str, wait: Duration, log: &EventLog) {
    // TODO: three lines: `log.say(format!("Starting {name}"))`, `sleep(wait).await`,
    // `log.say(...)` again. `tokio::time::sleep` is `asyncio.sleep`: the task gives the
    // loop back while it waits. `std::thread::sleep` would stop the whole loop.
    todo!()
}

/// The notes' `main()`: runs `task("Task-1")` and `task("Task-2")` at the same time,
/// each waiting [`TASK_WAIT`], and returns when both are done.
pub async fn notes_main(log: &EventLog) {
    // TODO: `asyncio.gather(a, b)` is `tokio::join!(a, b)`: it polls both futures, so
    // both wait at once. Awaiting one and then the other takes twice as long.
    todo!()
}
