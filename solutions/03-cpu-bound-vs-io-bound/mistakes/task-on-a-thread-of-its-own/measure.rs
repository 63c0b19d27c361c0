//! Mistake: the task is run on a thread of its own ("so that measuring does not
//! disturb it"), while the clocks are read on the calling thread. Wall time is right;
//! the CPU time is that of a thread that only waited for the other one.

use std::thread;
use std::time::Instant;

use crate::clocks;
use crate::usage::Usage;

/// Runs the task on a scoped thread and reads the caller's clocks around it.
pub fn measure<R: Send>(task: impl FnOnce() -> R + Send) -> (R, Usage) {
    let queued = clocks::thread_queued();
    let cpu = clocks::thread_cpu();
    let start = Instant::now();
    let result = thread::scope(|s| s.spawn(task).join().expect("the task panicked"));
    let wall = start.elapsed();
    let cpu = clocks::thread_cpu().saturating_sub(cpu);
    let queued = clocks::thread_queued().saturating_sub(queued);
    (result, Usage { wall, cpu, queued })
}
