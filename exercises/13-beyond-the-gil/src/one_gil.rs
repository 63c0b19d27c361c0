//! The baseline to beat, written for you: CPU-bound work on several threads of one
//! interpreter, which take turns holding its one GIL (chapter 05).

use python_model::Interpreter;

use crate::cpu_task::CpuTask;

// ANCHOR: threads_under_one_gil
/// Splits `work` turns of `task` evenly over `threads` Python threads of `interp` (at
/// least 1), all started before any is joined, and returns each thread's result in
/// the order the threads were started.
///
/// ```python
/// threads = [threading.Thread(target=cpu_task, args=(work // n,)) for _ in range(n)]
/// for t in threads: t.start()
/// for t in threads: t.join()
/// ```
pub fn threads_under_one_gil(
    interp: &Interpreter,
    threads: usize,
    work: u64,
    task: &CpuTask,
) -> Vec<u64> {
    let threads = threads.max(1);
    let share = work / threads as u64;
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let task = task.clone();
            interp.spawn(&format!("thread-{i}"), move |py| task.run(py, share))
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
// ANCHOR_END: threads_under_one_gil
