//! Another correct shape: scoped OS threads, each entering its interpreter with
//! `Interpreter::run` (a Python thread on the calling OS thread).

use python_model::Interpreter;

use crate::cpu_task::CpuTask;

/// One scoped thread per interpreter, each running its share as a Python thread there.
pub fn run_on_interpreters(interpreters: &[Interpreter], work: u64, task: &CpuTask) -> Vec<u64> {
    let share = work / interpreters.len().max(1) as u64;
    std::thread::scope(|s| {
        let mut running = Vec::with_capacity(interpreters.len());
        for (i, interp) in interpreters.iter().enumerate() {
            running.push(s.spawn(move || interp.run(&format!("scoped-{i}"), |py| task.run(py, share))));
        }
        running
            .into_iter()
            .map(|t| t.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}
