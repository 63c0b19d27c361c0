//! `classify`: CPU-bound, I/O-bound or mixed, from what a run cost.

use crate::class::Class;
use crate::usage::Usage;

/// At or above this share of its own time on a CPU, a task is CPU-bound. A task that
/// only computes measures 0.95 to 1.0: page faults, timer ticks and the clocks' own
/// reading cost it a little.
pub const CPU_BOUND_FROM: f64 = 0.8;

/// At or below this share, a task is I/O-bound. A task that only waits still runs a
/// little (the system call, copying what arrived, the wake-up): a few percent.
pub const IO_BOUND_UP_TO: f64 = 0.2;

/// The class of a task from the share of its own time it ran on a CPU
/// ([`Usage::cpu_share`]).
pub fn classify(usage: &Usage) -> Class {
    let share = usage.cpu_share();
    if share >= CPU_BOUND_FROM {
        Class::CpuBound
    } else if share <= IO_BOUND_UP_TO {
        Class::IoBound
    } else {
        Class::Mixed
    }
}
