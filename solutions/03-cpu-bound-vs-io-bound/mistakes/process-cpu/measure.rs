//! `measure` with a mistake: it reads the CPU time of the whole process, all its
//! threads (`getrusage(RUSAGE_SELF)`, Python's `time.process_time()`), so whatever the
//! other threads compute while the task runs is counted as the task's.

use std::time::{Duration, Instant};

use crate::clocks;
use crate::usage::Usage;

/// The mistake: process CPU time instead of the task's thread's.
pub fn measure<R>(task: impl FnOnce() -> R) -> (R, Usage) {
    let queued = clocks::thread_queued();
    let cpu = process_cpu();
    let start = Instant::now();
    let result = task();
    let wall = start.elapsed();
    let cpu = process_cpu().saturating_sub(cpu);
    let queued = clocks::thread_queued().saturating_sub(queued);
    (result, Usage { wall, cpu, queued })
}

fn process_cpu() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
    // SAFETY: `usage` points to writable memory the size of a rusage.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } != 0 {
        return Duration::ZERO;
    }
    // SAFETY: getrusage returned 0, so it filled `usage`.
    let usage = unsafe { usage.assume_init() };
    let time = |tv: libc::timeval| {
        Duration::from_secs(tv.tv_sec as u64) + Duration::from_micros(tv.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}
