//! `measure` with the wall clock read first.

use std::time::Instant;

use crate::clocks;
use crate::usage::Usage;

/// Runs the task and reads the three clocks around it.
pub fn measure<R>(task: impl FnOnce() -> R) -> (R, Usage) {
    let started = (Instant::now(), clocks::thread_cpu(), clocks::thread_queued());
    let result = task();
    let ended = (clocks::thread_queued(), clocks::thread_cpu());
    let usage = Usage {
        wall: started.0.elapsed(),
        cpu: ended.1.saturating_sub(started.1),
        queued: ended.0.saturating_sub(started.2),
    };
    (result, usage)
}
