//! CPU-bound work shared out over interpreters: one Python thread in each.

use python_model::Interpreter;

use crate::cpu_task::CpuTask;

/// Splits `work` turns of `task` evenly over `interpreters` (`work` divided by their
/// number, for each; the checks pass a multiple of their number): one Python thread in
/// each interpreter, all of them running at the same time. Returns each thread's result,
/// in the order of `interpreters`. A panic in a thread is passed on to the caller.
///
/// ```python
/// threads = [interp.call_in_thread(cpu_task, work // n) for interp in interps]
/// for t in threads: t.join()
/// ```
///
/// (Python 3.14's `call_in_thread` drops the function's result; the model hands it back.)
///
/// Read: *Interpreters on the model* (`Interpreter::spawn`, `PyJoinHandle::join`), and
/// the given `threads_under_one_gil` in `one_gil.rs`, the same work on one interpreter.
pub fn run_on_interpreters(interpreters: &[Interpreter], work: u64, task: &CpuTask) -> Vec<u64> {
    // TODO: one thread per interpreter, each running its share of `task`, side by side.
    // When does a thread start, and when does joining it return? Iterator chains are
    // lazy: in which order would a chain's steps run?
    todo!()
}
