//! `classify`: CPU-bound, I/O-bound or mixed, from what a run cost.

// The stub leaves its parameter unused until you fill it in.
#![allow(unused_variables)]

use crate::class::Class;
use crate::usage::Usage;

// ANCHOR: classify
/// The class of a task from the share of its own time it ran on a CPU
/// ([`Usage::cpu_share`]).
pub fn classify(usage: &Usage) -> Class {
    // TODO: pick two thresholds and compare `usage.cpu_share()` with them:
    // CPU-bound at or above the upper one, I/O-bound at or below the lower one,
    // mixed in between. Where do they go? Think of what the clocks see:
    // - a task that only computes still stops for a page fault or a timer tick, and
    //   the clocks are read a few microseconds apart: its share is 0.95 to 1.0, not
    //   exactly 1.0;
    // - a task that only waits still runs a little (the system call, copying the
    //   bytes that arrived, the wake-up): its share is a few percent, not 0.0;
    // - a task that is half of each sits near 0.5.
    // The checks' tasks (you do not see them) land at 0.9 or more, 0.1 or less, or
    // between 0.3 and 0.7; any thresholds in the gaps between pass. The wall time
    // alone tells you nothing: a task that sleeps 150 ms and one that computes for
    // 150 ms take just as long.
    todo!()
}
// ANCHOR_END: classify
