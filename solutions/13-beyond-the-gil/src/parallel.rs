//! CPU-bound work shared out over interpreters: one Python thread in each.

use python_model::Interpreter;

use crate::cpu_task::CpuTask;

/// Splits `work` turns of `task` evenly over `interpreters`: one Python thread in each
/// interpreter, all started before any is joined. Returns each thread's result, in the
/// order of `interpreters`.
pub fn run_on_interpreters(interpreters: &[Interpreter], work: u64, task: &CpuTask) -> Vec<u64> {
    let share = work / interpreters.len().max(1) as u64;
    let handles: Vec<_> = interpreters
        .iter()
        .enumerate()
        .map(|(i, interp)| {
            let task = task.clone();
            interp.spawn(&format!("interp-{i}"), move |py| task.run(py, share))
        })
        .collect();
    handles
        .into_iter()
        .map(|h| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
        .collect()
}
