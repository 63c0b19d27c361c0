//! The notes' asyncio example, with the two coroutines awaited in turn: the mistake.

use std::time::Duration;

use tokio::time::sleep;

use crate::event_log::EventLog;

/// How long each of the notes' tasks waits: `asyncio.sleep(2)`.
pub const TASK_WAIT: Duration = Duration::from_secs(2);

/// The notes' `task(name)`: says `Starting {name}`, waits `wait` without blocking the
/// loop, says `Finished {name}`.
pub async fn task(name: &str, wait: Duration, log: &EventLog) {
    log.say(format!("Starting {name}"));
    sleep(wait).await; // await asyncio.sleep(2): the loop runs other tasks meanwhile
    log.say(format!("Finished {name}"));
}

/// The mistake: `main()` awaiting `task("Task-1")` and then `task("Task-2")`. Each
/// `.await` waits for its task to finish before the next line starts the other.
pub async fn notes_main(log: &EventLog) {
    task("Task-1", TASK_WAIT, log).await;
    task("Task-2", TASK_WAIT, log).await;
}
