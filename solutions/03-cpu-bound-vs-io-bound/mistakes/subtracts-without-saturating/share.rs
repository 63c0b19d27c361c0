//! Mistake: `wall - queued` with a plain subtraction. Right on every run where the
//! clocks agree; a panic when the queue clock, read a hair later, shows more than the
//! wall clock.

use crate::usage::Usage;

impl Usage {
    /// CPU time over the time not spent in a run queue.
    pub fn cpu_share(&self) -> f64 {
        let own_time = self.wall - self.queued;
        if own_time.is_zero() {
            return 0.0;
        }
        (self.cpu.as_secs_f64() / own_time.as_secs_f64()).clamp(0.0, 1.0)
    }
}
