//! `cpu_share` with `checked_sub` and a match.

use crate::usage::Usage;

impl Usage {
    /// CPU time over the task's own time, 0.0 when it had none.
    pub fn cpu_share(&self) -> f64 {
        match self.wall.checked_sub(self.queued) {
            Some(own) if !own.is_zero() => (self.cpu.as_secs_f64() / own.as_secs_f64()).min(1.0),
            _ => 0.0,
        }
    }
}
