//! The mistake: one iterator chain that spawns and joins. Iterators are lazy, so each
//! thread is joined before the next one is spawned: the interpreters run one by one.

use python_model::Interpreter;

use crate::cpu_task::CpuTask;

/// One thread per interpreter, spawned and joined in one chain.
pub fn run_on_interpreters(interpreters: &[Interpreter], work: u64, task: &CpuTask) -> Vec<u64> {
    let share = work / interpreters.len().max(1) as u64;
    interpreters
        .iter()
        .enumerate()
        .map(|(i, interp)| {
            let task = task.clone();
            interp.spawn(&format!("interp-{i}"), move |py| task.run(py, share))
        })
        .map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
        .collect()
}
