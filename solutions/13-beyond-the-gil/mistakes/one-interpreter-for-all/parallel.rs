//! The mistake: every thread on the first interpreter. The results are right, but the
//! threads take turns on that interpreter's one GIL.

use python_model::Interpreter;

use crate::cpu_task::CpuTask;

/// `interpreters.len()` threads, all on `interpreters[0]`.
pub fn run_on_interpreters(interpreters: &[Interpreter], work: u64, task: &CpuTask) -> Vec<u64> {
    let Some(first) = interpreters.first() else { return Vec::new() };
    let share = work / interpreters.len() as u64;
    let handles: Vec<_> = (0..interpreters.len())
        .map(|i| {
            let task = task.clone();
            first.spawn(&format!("interp-{i}"), move |py| task.run(py, share))
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
        .collect()
}
