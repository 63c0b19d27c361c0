//! `Usage::cpu_share`: the share of a task's own time that it computed.

use crate::usage::Usage;

impl Usage {
    /// The share of the task's own time that it ran on a CPU, from 0.0 to 1.0: CPU
    /// time over the time the task either ran or waited for something outside the
    /// CPU. Time spent waiting for a CPU is not the task's doing and is left out.
    /// 0.0 for a run that took no time at all.
    pub fn cpu_share(&self) -> f64 {
        let own_time = self.wall.saturating_sub(self.queued);
        if own_time.is_zero() {
            return 0.0;
        }
        (self.cpu.as_secs_f64() / own_time.as_secs_f64()).clamp(0.0, 1.0)
    }
}
