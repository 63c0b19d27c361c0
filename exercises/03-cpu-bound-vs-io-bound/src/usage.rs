//! What one run of a task cost, written for you. The share of it that the CPU did is
//! yours to write, in `share.rs`.

use std::time::Duration;

/// What one run of a task cost, measured on the thread that ran it.
///
/// The wall time splits in three: `cpu` (running on a CPU), `queued` (ready to run
/// and waiting for a CPU that someone else had), and the rest (waiting for something
/// outside the CPU: a disk, the network, a timer, another thread).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Wall-clock time from the task's start to its end.
    pub wall: Duration,
    /// CPU time the task's thread had during the run.
    pub cpu: Duration,
    /// Time the task's thread waited in a run queue for a CPU during the run.
    pub queued: Duration,
}

impl Usage {
    /// The time the task spent off the CPU by its own doing: neither running nor
    /// waiting for a CPU. Never negative (clocks read a few microseconds apart can
    /// add up to a hair more than the wall time).
    pub fn waiting(&self) -> Duration {
        self.wall.saturating_sub(self.cpu + self.queued)
    }
}
