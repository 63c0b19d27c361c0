//! Mistake: thresholds at the very ends, as if a task that only computes measured
//! exactly 1.0 and one that only waits exactly 0.0. Real clocks never do: page
//! faults, timer ticks and system calls move both a few percent inwards.

use crate::class::Class;
use crate::usage::Usage;

/// CPU-bound from 0.99 up, I/O-bound at 0.01 and below.
pub fn classify(usage: &Usage) -> Class {
    let share = usage.cpu_share();
    if share >= 0.99 {
        Class::CpuBound
    } else if share <= 0.01 {
        Class::IoBound
    } else {
        Class::Mixed
    }
}
