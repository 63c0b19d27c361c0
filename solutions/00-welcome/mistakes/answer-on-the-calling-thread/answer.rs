//! Mistake: the right value, from the wrong thread.

use std::thread::{self, ThreadId};

/// Returns 42 without starting a thread, so the id is the caller's own.
pub fn answer_from_a_thread() -> (u32, ThreadId) {
    (6 * 7, thread::current().id())
}
