//! CPU-bound Python on 1 and N threads.

use python_model::Interpreter;

/// Splits `work` turns of a CPU-bound Python loop (`py.cpu_work`) evenly over `threads`
/// Python threads of `interp` (each does `work` divided by `threads`; the checks pass a
/// multiple of `threads`), all started before any is joined. Returns each thread's
/// result, in the order the threads were started. A panic in a thread is passed on.
///
/// ```python
/// threads = [threading.Thread(target=cpu_task, args=(work // n,)) for _ in range(n)]
/// for t in threads: t.start()
/// for t in threads: t.join()
/// ```
///
/// Read: *Threads on the model* (`Interpreter::spawn`, `PyJoinHandle::join`).
pub fn run_cpu_bound(interp: &Interpreter, threads: usize, work: u64) -> Vec<u64> {
    // TODO: the threads, started and joined as the contract says. Iterators are lazy:
    // if one chain of yours both starts and joins, in what order do those calls run?
    // This function is not a Python thread itself: it joins from outside Python.
    todo!()
}
