//! `classify` with a mistake: it compares the CPU time itself with thresholds that fit
//! the checks' 150 ms tasks. A task of 150 ms that computes 140 ms of it is called
//! CPU-bound; but so is one of 1.5 s that computes 150 ms of it, and a task that computes
//! all of its 15 ms is called I/O-bound.

use std::time::Duration;

use crate::class::Class;
use crate::usage::Usage;

/// The mistake: milliseconds of CPU time, never `usage.cpu_share()`.
pub fn classify(usage: &Usage) -> Class {
    if usage.cpu >= Duration::from_millis(120) {
        Class::CpuBound
    } else if usage.cpu <= Duration::from_millis(15) {
        Class::IoBound
    } else {
        Class::Mixed
    }
}
