//! `Usage::cpu_share`: the share of a task's own time that it computed.

// The stub leaves `self` unused until you fill it in.
#![allow(unused_variables)]

use crate::usage::Usage;

impl Usage {
    /// The share of the task's own time that it ran on a CPU, from 0.0 to 1.0: CPU
    /// time over the time the task either ran or waited for something outside the
    /// CPU. Time spent waiting for a CPU is not the task's doing and is left out.
    /// 0.0 for a run that took no time at all.
    ///
    /// Must hold: a task that computed all the time it was not queued gives 1.0,
    /// however long it sat in a run queue behind another program; never NaN, never
    /// outside 0.0..=1.0, never a panic, also when clocks read a few microseconds
    /// apart give a hair more CPU (or queue) time than wall time.
    ///
    /// Read: "A busy machine" on the chapter's pages; `Duration::as_secs_f64` and
    /// `Duration::saturating_sub`.
    pub fn cpu_share(&self) -> f64 {
        // TODO: the share defined above. At the edges the contract lists, which of
        // your operations could panic, give NaN, or land outside 0.0..=1.0?
        todo!()
    }
}
