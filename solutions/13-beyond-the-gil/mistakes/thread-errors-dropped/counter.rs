//! The mistake: the threads are joined, but what their programs returned is thrown
//! away, so an `OverflowError` in a thread comes back as a count.

use std::sync::Arc;

use python_model::workloads::LostUpdates;
use python_model::{EvalError, Interpreter, Program};

/// `counter += 1` on `threads` threads; the threads' results are ignored.
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
    let mut handles = Vec::new();
    for i in 0..threads {
        let program = Arc::clone(&program);
        handles.push(interp.spawn(&format!("adder-{i}"), move |py| py.call(&program, entry, &[per_thread])));
    }
    for handle in handles {
        let _ = handle.join();
    }
    Ok(LostUpdates {
        expected: threads as i64 * per_thread,
        counted: interp.globals().get("counter").unwrap_or(0),
    })
}
