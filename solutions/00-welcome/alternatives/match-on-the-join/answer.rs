//! The answer, from a thread of its own, with the join's outcome matched by hand.

use std::thread::{self, ThreadId};

/// Starts a thread that works out the answer, waits for it, and returns the
/// answer together with the id of the thread that computed it.
pub fn answer_from_a_thread() -> (u32, ThreadId) {
    let handle = thread::spawn(|| (6 * 7, thread::current().id()));
    match handle.join() {
        Ok(answer) => answer,
        // The thread panicked: let its panic go on, with its own message.
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
