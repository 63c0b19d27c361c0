//! The CPU-bound task every Python thread of this exercise runs, written for you: a
//! Python loop on the model that records when it ran and on which CPU, so the checks
//! can see how many ran at once.

use python_model::PyThread;
use timing::Activity;

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
}

impl CpuTask {
    /// A task with an empty record.
    pub fn new() -> CpuTask {
        CpuTask::default()
    }

    /// Runs `turns` turns of the loop on the Python thread `py` (under its
    /// interpreter's GIL, if it has one) and returns the loop's result, which depends
    /// only on `turns`.
    pub fn run(&self, py: &mut PyThread, turns: u64) -> u64 {
        let _running = self.activity.enter();
        py.cpu_work(turns)
    }

    /// Who ran the task, when, and on which CPU.
    pub fn activity(&self) -> &Activity {
        &self.activity
    }
}
