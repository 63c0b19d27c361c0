//! `measure`: run a task once and read what it cost.

// The stub leaves its parameter and the imports unused until you fill it in.
#![allow(unused_imports, unused_variables)]

use std::time::Instant;

use crate::clocks;
use crate::usage::Usage;

/// Runs `task` once, on the calling thread, and returns its result with its
/// [`Usage`]: the wall time from start to end, and the CPU time and run-queue time
/// the calling thread had in between.
///
/// Python would write:
///
/// ```python
/// start_wall, start_cpu = time.perf_counter(), time.thread_time()
/// result = task()
/// wall = time.perf_counter() - start_wall
/// cpu = time.thread_time() - start_cpu
/// ```
pub fn measure<R>(task: impl FnOnce() -> R) -> (R, Usage) {
    // TODO: read three clocks before the task and the same three after it, and keep
    // the differences:
    // - wall time: `Instant::now()` before, `.elapsed()` after;
    // - CPU time: `clocks::thread_cpu()` before and after (this thread's CPU time;
    //   the other threads of the process, such as a server the checks start, must
    //   not count);
    // - run-queue time: `clocks::thread_queued()` before and after.
    // Read the clocks as close to the task as you can: whatever you do between the
    // readings is measured too. `Duration`s subtract with `-` (or `saturating_sub`).
    todo!()
}
