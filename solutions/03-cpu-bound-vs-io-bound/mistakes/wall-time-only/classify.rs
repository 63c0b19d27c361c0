//! `classify` with a mistake: it looks at the wall time alone. A task that takes long
//! is taken to be waiting for something, a quick one to be computing. But a task that
//! sleeps 150 ms and one that computes for 150 ms take just as long.

use std::time::Duration;

use crate::class::Class;
use crate::usage::Usage;

/// The mistake: a long run is called I/O-bound, a short one CPU-bound.
pub fn classify(usage: &Usage) -> Class {
    if usage.wall >= Duration::from_millis(100) {
        Class::IoBound
    } else {
        Class::CpuBound
    }
}
