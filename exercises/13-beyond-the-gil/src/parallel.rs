//! CPU-bound work shared out over interpreters: one Python thread in each.

use python_model::Interpreter;

use crate::cpu_task::CpuTask;

/// Splits `work` turns of `task` evenly over `interpreters` (`work / interpreters.len()`
/// turns each; the checks pass a multiple of their number): one Python thread in each
/// interpreter, all started before any is joined. Returns each thread's result, in the
/// order of `interpreters`.
///
/// ```python
/// threads = [interp.call_in_thread(cpu_task, work // n) for interp in interps]
/// for t in threads: t.join()
/// ```
///
/// (Python 3.14's `call_in_thread` drops the function's result; the model hands it back.)
pub fn run_on_interpreters(interpreters: &[Interpreter], work: u64, task: &CpuTask) -> Vec<u64> {
    // TODO: for each interpreter, `interp.spawn(&format!("interp-{i}"), move |py| ...)` a
    // thread that runs `task.run(py, share)` and returns its result (the closure must
    // own a clone of `task`); keep the handles. Then join every handle and collect the
    // results; `join` gives `Err` if the thread panicked: pass the panic on with
    // `std::panic::resume_unwind`. Start them all first, join them after.
    todo!()
}
