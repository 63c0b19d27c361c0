//! The CPU-bound task every Python thread of this exercise runs, written for you: a
//! Python loop on the model that records when it ran and on which CPU, so the checks
//! can see how many ran at once.

use std::sync::Arc;
use std::time::Duration;

use python_model::PyThread;
use timing::{Activity, Meeting};

/// A CPU-bound Python function, `cpu_task(turns)`:
///
/// ```python
/// def cpu_task(turns):
///     x = 1
///     for i in range(turns):
///         x = (x * 31 + i) % 1000003
///     return x
/// ```
///
/// Cloning gives another handle to the same record of who ran it when.
#[derive(Clone, Debug, Default)]
pub struct CpuTask {
    activity: Activity,
    meeting: Option<Arc<Meeting>>,
}

impl CpuTask {
    /// A task with an empty record.
    pub fn new() -> CpuTask {
        CpuTask::default()
    }

    /// A task whose runs first wait for each other: each run, once it holds its
    /// interpreter's GIL, waits until `runs` runs are under way at the same moment (at
    /// most `patience` in all), then computes. Runs on interpreters with a GIL each meet
    /// at once on any machine, busy or not; runs that take turns on one GIL, or that are
    /// started one after the other, never meet, and cost `patience` once. The checks
    /// use it to see how your threads ran without timing them.
    pub fn meeting(runs: usize, patience: Duration) -> CpuTask {
        CpuTask {
            activity: Activity::new(),
            meeting: Some(Arc::new(Meeting::new(runs, patience))),
        }
    }

    /// Runs `turns` turns of the loop on the Python thread `py` (under its
    /// interpreter's GIL, if it has one) and returns the loop's result, which depends
    /// only on `turns`.
    pub fn run(&self, py: &mut PyThread, turns: u64) -> u64 {
        // Waiting here keeps the GIL, as a C extension that waits without releasing it
        // does: a thread that shares this GIL cannot join the meeting. A run leaves the
        // meeting before it computes, so runs that take turns never count as together.
        if let Some(meeting) = &self.meeting {
            drop(meeting.arrive());
        }
        let _running = self.activity.enter();
        py.cpu_work(turns)
    }

    /// Who ran the task, when, and on which CPU.
    pub fn activity(&self) -> &Activity {
        &self.activity
    }

    /// The most runs that had started and were waiting for each other at the same
    /// moment (0 for a task made with [`CpuTask::new`]).
    pub fn most_at_once(&self) -> usize {
        self.meeting.as_ref().map_or(0, |m| m.most())
    }
}
