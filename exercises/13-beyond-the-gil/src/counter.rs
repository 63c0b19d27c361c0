//! The shared counter of chapter 10, on threads that may or may not have a GIL.

use python_model::workloads::LostUpdates;
use python_model::{EvalError, Interpreter, Program};

/// Sets the global `counter` of `interp` to 0, then runs `counter += 1` `per_thread`
/// times on each of `threads` Python threads of `interp`, all running at the same
/// time. With `with_lock`, every increment happens inside the program's own
/// `with lock:` (the interpreter's lock named `lock`), not inside a lock of yours.
/// Returns how many increments were asked for (`threads * per_thread`) and the value
/// the interpreter's `counter` holds once every thread has ended.
///
/// ```python
/// def add_in_place(n):               def add_in_place_locked(n):
///     global counter                     global counter
///     for _ in range(n):                 for _ in range(n):
///         counter += 1                       with lock:
///                                                counter += 1
/// ```
///
/// # Errors
/// When a thread's program stops with an error (an `EvalError`, such as an
/// `OverflowError`), the first such error, once every thread has been joined; a thread
/// that panicked counts as the `ThreadPanicked` error, with its name.
///
/// Read: *The lost update returns* (`Program`'s two counter programs,
/// `PyThread::call`, `Globals`).
pub fn count_in_threads(
    interp: &Interpreter,
    threads: usize,
    per_thread: i64,
    with_lock: bool,
) -> Result<LostUpdates, EvalError> {
    // TODO: start from a counter of 0, run the right program on every thread at once,
    // wait for them all, and report what the interpreter counted. A thread's join
    // gives back what its program returned: an error there is this function's error.
    todo!()
}
