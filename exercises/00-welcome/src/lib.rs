//! Exercise 00: learn the loop. Run `cargo xtask check`, read why it fails,
//! make the one-line fix below, run it again.

// `handle` stays unused until you make the fix; this keeps the compiler quiet meanwhile.
#![allow(unused_variables)]

use std::thread::{self, ThreadId};

/// Starts a thread that works out the answer, waits for it, and returns the
/// answer together with the id of the thread that computed it.
///
/// Python would write:
///
/// ```python
/// result = {}
/// t = threading.Thread(target=lambda: result.update(answer=6 * 7))
/// t.start(); t.join()
/// ```
pub fn answer_from_a_thread() -> (u32, ThreadId) {
    let handle = thread::spawn(|| (6 * 7, thread::current().id()));
    // TODO: wait for the thread and return what it returned.
    // `handle.join()` gives a `Result`; the thread cannot panic here, so
    // `.expect("the answering thread panicked")` is fine.
    todo!()
}
