//! Another correct shape: the program chosen by a `match`, the results gathered first
//! and the first error found afterwards.

use std::sync::Arc;

use python_model::workloads::LostUpdates;
use python_model::{EvalError, Interpreter, Program};

/// `counter += 1` on `threads` threads, with or without `with lock:`.
pub fn count_in_threads(
    interp: &Interpreter,
    threads: usize,
    per_thread: i64,
    with_lock: bool,
) -> Result<LostUpdates, EvalError> {
    let (program, entry) = match with_lock {
        true => (Program::add_in_place_locked(), "add_in_place_locked"),
        false => (Program::add_in_place(), "add_in_place"),
    };
    let program = Arc::new(program);
    interp.globals().set("counter", 0);
    let mut handles = Vec::with_capacity(threads);
    for i in 0..threads {
        let program = Arc::clone(&program);
        handles.push((format!("worker {i}"), interp.spawn(&format!("worker {i}"), move |py| py.call(&program, entry, &[per_thread]))));
    }
    let outcomes: Vec<Result<i64, EvalError>> = handles
        .into_iter()
        .map(|(name, h)| h.join().unwrap_or(Err(EvalError::ThreadPanicked(name))))
        .collect();
    outcomes.into_iter().find_map(Result::err).map_or(Ok(()), Err)?;
    let counted = interp.globals().get("counter").ok_or_else(|| EvalError::NameError("counter".into()))?;
    Ok(LostUpdates { expected: threads as i64 * per_thread, counted })
}
