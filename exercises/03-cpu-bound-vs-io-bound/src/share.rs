//! `Usage::cpu_share`: the share of a task's own time that it computed.

// The stub leaves `self` unused until you fill it in.
#![allow(unused_variables)]

use crate::usage::Usage;

impl Usage {
    // ANCHOR: cpu_share
    /// The share of the task's own time that it ran on a CPU, from 0.0 to 1.0: CPU
    /// time over the time the task either ran or waited for something outside the
    /// CPU. Time spent waiting for a CPU is not the task's doing and is left out.
    /// 0.0 for a run that took no time at all.
    pub fn cpu_share(&self) -> f64 {
        // TODO: CPU time over wall time is the first idea, and it works on a quiet
        // machine. But when another program keeps the CPU busy, a task that only
        // computes gets, say, half of it: cpu = 100 ms, wall = 200 ms, and the other
        // 100 ms it sat in a run queue (`self.queued`). It never waited for I/O; it
        // waited for a CPU. Leave `queued` out of the time you divide by:
        //     cpu / (wall - queued)
        // in seconds (`Duration::as_secs_f64`). Mind the edges: `wall - queued`
        // can be zero (return 0.0), and clocks read a few microseconds apart can
        // make the ratio a hair above 1.0 (clamp it to 0.0..=1.0).
        todo!()
    }
    // ANCHOR_END: cpu_share
}
