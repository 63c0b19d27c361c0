//! The notes' asyncio example: two coroutines that wait at the same time.

use std::time::Duration;

use tokio::time::sleep;

use crate::event_log::EventLog;

/// How long each of the notes' tasks waits: `asyncio.sleep(2)`.
pub const TASK_WAIT: Duration = Duration::from_secs(2);

/// The notes' `task(name)`: says `Starting {name}`, waits `wait` without blocking the
/// loop, says `Finished {name}`.
pub async fn task(name: &str, wait: Duration, log: &EventLog) {
    log.say(format!("Starting {name}"));
    // await asyncio.sleep(2): the loop runs other tasks meanwhile
    sleep(wait).await;
    log.say(format!("Finished {name}"));
}

/// The notes' `main()`: runs `task("Task-1")` and `task("Task-2")` at the same time,
/// each waiting [`TASK_WAIT`], and returns when both are done.
pub async fn notes_main(log: &EventLog) {
    // await asyncio.gather(task("Task-1"), task("Task-2"))
    tokio::join!(
        task("Task-1", TASK_WAIT, log),
        task("Task-2", TASK_WAIT, log)
    );
}
