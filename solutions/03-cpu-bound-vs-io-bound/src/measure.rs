//! `measure`: run a task once and read what it cost.

use std::time::Instant;

use crate::clocks;
use crate::usage::Usage;

/// Runs `task` once, on the calling thread, and returns its result with its
/// [`Usage`]: the wall time from start to end, and the CPU time and run-queue time
/// the calling thread had in between.
pub fn measure<R>(task: impl FnOnce() -> R) -> (R, Usage) {
    let queued = clocks::thread_queued();
    let cpu = clocks::thread_cpu();
    let start = Instant::now();
    let result = task();
    let wall = start.elapsed();
    let cpu = clocks::thread_cpu().saturating_sub(cpu);
    let queued = clocks::thread_queued().saturating_sub(queued);
    (result, Usage { wall, cpu, queued })
}
