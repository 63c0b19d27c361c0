//! Given: a slow operation for the timeout and a long worker for the cancellation, both
//! logging what they do, and both owning a [`Cleanup`] whose drop logs that it ran.

use std::time::Duration;

use tokio::time::sleep;

use crate::event_log::EventLog;

/// How long [`slow_operation`] takes when nothing stops it.
pub const SLOW_OPERATION_TAKES: Duration = Duration::from_secs(5);

/// What [`slow_operation`] returns when it completes.
pub const SLOW_ANSWER: u32 = 42;

/// How many steps [`worker`] takes, one a second, if nothing stops it.
pub const WORKER_STEPS: u32 = 10;

/// Logs `"{what}: cleanup ran"` when dropped: Python's `finally:` block. A future that
/// is cancelled is dropped, and what it owns is dropped with it.
#[derive(Debug)]
pub struct Cleanup {
    log: EventLog,
    what: &'static str,
}

impl Cleanup {
    /// A guard that logs to `log` when dropped, naming `what`.
    pub fn new(log: &EventLog, what: &'static str) -> Cleanup {
        Cleanup {
            log: log.clone(),
            what,
        }
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        self.log.say(format!("{}: cleanup ran", self.what));
    }
}

/// Waits [`SLOW_OPERATION_TAKES`], then returns [`SLOW_ANSWER`]; logs its start and end.
pub async fn slow_operation(log: &EventLog) -> u32 {
    let _cleanup = Cleanup::new(log, "slow operation");
    log.say("slow operation: started");
    sleep(SLOW_OPERATION_TAKES).await;
    log.say("slow operation: done");
    SLOW_ANSWER
}

/// Takes [`WORKER_STEPS`] steps of 1 s each, logging each, and returns how many it took.
pub async fn worker(log: EventLog) -> u32 {
    let _cleanup = Cleanup::new(&log, "worker");
    log.say("worker: started");
    for step in 1..=WORKER_STEPS {
        sleep(Duration::from_secs(1)).await;
        log.say(format!("worker: step {step} of {WORKER_STEPS}"));
    }
    log.say("worker: finished every step");
    WORKER_STEPS
}
