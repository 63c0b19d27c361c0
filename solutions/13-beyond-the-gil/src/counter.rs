//! The shared counter of chapter 10, on threads that may or may not have a GIL.

use std::sync::Arc;

use python_model::workloads::LostUpdates;
use python_model::{EvalError, Interpreter, Program};

/// Sets the global `counter` of `interp` to 0, then runs `counter += 1` `per_thread`
/// times on each of `threads` Python threads, all started before any is joined. With
/// `with_lock`, every increment happens inside `with lock:`. Returns how many
/// increments were made and the counter's final value.
///
/// # Errors
/// The first error a thread's program stopped with.
pub fn count_in_threads(
    interp: &Interpreter,
    threads: usize,
    per_thread: i64,
    with_lock: bool,
) -> Result<LostUpdates, EvalError> {
    interp.globals().set("counter", 0);
    let (program, entry) = if with_lock {
        (Program::add_in_place_locked(), "add_in_place_locked")
    } else {
        (Program::add_in_place(), "add_in_place")
    };
    let program = Arc::new(program);
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let program = Arc::clone(&program);
            interp.spawn(&format!("adder-{i}"), move |py| {
                py.call(&program, entry, &[per_thread])
            })
        })
        .collect();
    // Join every thread before returning, even after an error.
    let mut first_error = None;
    for (i, handle) in handles.into_iter().enumerate() {
        let outcome = match handle.join() {
            Ok(Ok(_)) => continue,
            Ok(Err(e)) => e,
            Err(_) => EvalError::ThreadPanicked(format!("adder-{i}")),
        };
        first_error.get_or_insert(outcome);
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    Ok(LostUpdates {
        expected: threads as i64 * per_thread,
        counted: interp.globals().get("counter").unwrap_or(0),
    })
}
