//! The mistake: `counter += 1` without the lock, with or without a GIL.

use std::sync::Arc;

use python_model::workloads::LostUpdates;
use python_model::{EvalError, Interpreter, Program};

/// `counter += 1` on `threads` threads, `per_thread` times each; `with_lock` is
/// ignored, because "the GIL makes `counter += 1` safe".
pub fn count_in_threads(
    interp: &Interpreter,
    threads: usize,
    per_thread: i64,
    with_lock: bool,
) -> Result<LostUpdates, EvalError> {
    let _ = with_lock;
    interp.globals().set("counter", 0);
    let program = Arc::new(Program::add_in_place());
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let program = Arc::clone(&program);
            interp.spawn(&format!("adder-{i}"), move |py| {
                py.call(&program, "add_in_place", &[per_thread])
            })
        })
        .collect();
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
