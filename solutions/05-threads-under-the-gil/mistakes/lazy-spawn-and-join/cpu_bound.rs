//! The mistake: spawn and join in one lazy iterator chain, so each thread ends before
//! the next one starts.

use python_model::Interpreter;

/// Splits `work` turns of a CPU-bound Python loop evenly over `threads` Python threads
/// of `interp`, all started before any is joined. Returns each thread's result, in the
/// order the threads were started.
pub fn run_cpu_bound(interp: &Interpreter, threads: usize, work: u64) -> Vec<u64> {
    let share = work / threads as u64;
    (0..threads)
        .map(|i| interp.spawn(&format!("worker-{i}"), move |py| py.cpu_work(share)))
        .map(|h| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
        .collect()
}
