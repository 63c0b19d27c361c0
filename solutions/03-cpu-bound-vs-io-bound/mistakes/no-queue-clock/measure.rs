//! Mistake: the run-queue clock is never read ("the task did not wait for anything
//! but its own work"), so `queued` is always zero. On a quiet machine nothing shows;
//! a task that shares its core with another program looks half idle.

use std::time::{Duration, Instant};

use crate::clocks;
use crate::usage::Usage;

/// Reads the wall and CPU clocks around the task; the queue is taken to be empty.
pub fn measure<R>(task: impl FnOnce() -> R) -> (R, Usage) {
    let cpu = clocks::thread_cpu();
    let start = Instant::now();
    let result = task();
    let wall = start.elapsed();
    let cpu = clocks::thread_cpu().saturating_sub(cpu);
    (result, Usage { wall, cpu, queued: Duration::ZERO })
}
