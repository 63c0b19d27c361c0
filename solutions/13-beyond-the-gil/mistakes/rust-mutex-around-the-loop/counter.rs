//! The mistake: the lock is a Rust `Mutex` that each thread holds around its whole
//! loop, instead of the program's own `with lock:` around each increment. The count is
//! exact, but only because the threads run one after the other.

use std::sync::{Arc, Mutex, PoisonError};

use python_model::workloads::LostUpdates;
use python_model::{EvalError, Interpreter, Program};

/// `counter += 1` on `threads` threads; with `with_lock`, each thread holds a Rust
/// mutex for its whole loop.
pub fn count_in_threads(
    interp: &Interpreter,
    threads: usize,
    per_thread: i64,
    with_lock: bool,
) -> Result<LostUpdates, EvalError> {
    interp.globals().set("counter", 0);
    let program = Arc::new(Program::add_in_place());
    let lock = Arc::new(Mutex::new(()));
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let (program, lock) = (Arc::clone(&program), Arc::clone(&lock));
            interp.spawn(&format!("adder-{i}"), move |py| {
                let _guard = with_lock.then(|| lock.lock().unwrap_or_else(PoisonError::into_inner));
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
