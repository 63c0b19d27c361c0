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
/// Must hold: the task runs exactly once, on this very thread (the CPU and queue
/// clocks of `clocks.rs` are this thread's own); each figure covers the task and as
/// little else as possible; the CPU time of other threads of the process (the checks
/// run a server beside your task) does not count.
///
/// Python would write:
///
/// ```python
/// start_wall, start_cpu = time.perf_counter(), time.thread_time()
/// result = task()
/// wall = time.perf_counter() - start_wall
/// cpu = time.thread_time() - start_cpu
/// ```
///
/// Read: "Three clocks" on the chapter's pages; `std::time::Instant` and the
/// functions of `clocks.rs`.
pub fn measure<R>(task: impl FnOnce() -> R) -> (R, Usage) {
    // TODO: read the three clocks just before the task and just after it, and
    // keep what each one moved by while the task ran.
    todo!()
}
