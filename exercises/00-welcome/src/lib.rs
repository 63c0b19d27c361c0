//! Exercise 00: learn the loop. Run `cargo xtask check`, read why it fails,
//! make the fix below, run it again.

// `handle` stays unused until you make the fix; this keeps the compiler quiet meanwhile.
#![allow(unused_variables)]

use std::thread::{self, ThreadId};

/// Starts a thread that works out the answer, waits for it, and returns the
/// answer together with the id of the thread that computed it.
///
/// Must hold: both values are the spawned thread's own, the answer it computed
/// and its id, handed back once it has finished; the calling thread computes
/// nothing itself.
///
/// Python would write, with `concurrent.futures` (its `Future.result()` waits
/// for the thread and hands back what the function returned):
///
/// ```python
/// with ThreadPoolExecutor(max_workers=1) as pool:
///     future = pool.submit(lambda: (6 * 7, threading.get_ident()))
///     return future.result()
/// ```
///
/// Read: "A value back from a thread" on the chapter's page, and the primer's pages on
/// threads (`JoinHandle`) and on `Result`, `?` and `expect`.
pub fn answer_from_a_thread() -> (u32, ThreadId) {
    let handle = thread::spawn(|| (6 * 7, thread::current().id()));
    // TODO: wait for that thread and return what it returned. Waiting fails
    // only if the thread panicked, which here would be a bug in this function:
    // stop with a sentence that says so.
    todo!()
}
