//! `Usage::cpu_share` with a mistake: CPU time over wall time. On a quiet machine that
//! is right; when the task has to share its core, the time it waits for a CPU is
//! counted as if it were waiting for I/O.

use crate::usage::Usage;

impl Usage {
    /// The mistake: `queued` is not left out of the time divided by.
    pub fn cpu_share(&self) -> f64 {
        if self.wall.is_zero() {
            return 0.0;
        }
        (self.cpu.as_secs_f64() / self.wall.as_secs_f64()).clamp(0.0, 1.0)
    }
}
