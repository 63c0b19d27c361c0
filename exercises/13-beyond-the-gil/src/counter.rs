//! The shared counter of chapter 10, on threads that may or may not have a GIL.

use python_model::workloads::LostUpdates;
use python_model::{EvalError, Interpreter, Program};

/// Sets the global `counter` of `interp` to 0, then runs `counter += 1` `per_thread`
/// times on each of `threads` Python threads, all started before any is joined. With
/// `with_lock`, every increment happens inside `with lock:`. Returns how many
/// increments were made (`threads * per_thread`) and the counter's final value.
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
/// The first error a thread's program stopped with.
pub fn count_in_threads(
    interp: &Interpreter,
    threads: usize,
    per_thread: i64,
    with_lock: bool,
) -> Result<LostUpdates, EvalError> {
    // TODO:
    // - `interp.globals().set("counter", 0)`;
    // - pick the program and its entry function: `Program::add_in_place()` and
    //   "add_in_place", or with the lock `Program::add_in_place_locked()` and
    //   "add_in_place_locked"; put it in an `Arc` so every thread can own a handle;
    // - `interp.spawn` `threads` threads, each running
    //   `py.call(&program, entry, &[per_thread])`; keep the handles;
    // - join them all: a thread's `Err(e)` is returned as it is, a panic becomes
    //   `EvalError::ThreadPanicked(name)`;
    // - return `LostUpdates { expected: threads as i64 * per_thread, counted }`, with
    //   `counted` read back from `interp.globals().get("counter")`.
    todo!()
}
