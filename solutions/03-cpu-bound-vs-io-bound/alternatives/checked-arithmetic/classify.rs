//! `classify` as a match on ranges of the share, in percent.

use crate::class::Class;
use crate::usage::Usage;

/// CPU-bound from 85% up, I/O-bound up to 15%, mixed between.
pub fn classify(usage: &Usage) -> Class {
    match (usage.cpu_share() * 100.0).round() as u32 {
        85.. => Class::CpuBound,
        0..=15 => Class::IoBound,
        _ => Class::Mixed,
    }
}
