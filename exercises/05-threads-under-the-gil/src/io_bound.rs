//! I/O-bound work on 1 and N threads: waits that release the GIL, and waits that do not.

use std::time::Duration;

use python_model::Interpreter;

/// Runs the `waits` on `threads` Python threads of `interp`, all started before any is
/// joined: thread `i` does `waits[i]`, `waits[i + threads]`, `waits[i + 2 * threads]`, …
/// one after another. With `release_gil`, each wait is `time.sleep`, which releases the
/// GIL; without it, the thread keeps the GIL while it waits, as a C extension does that
/// blocks without `Py_BEGIN_ALLOW_THREADS`. A panic in a thread is passed on.
///
/// ```python
/// def waiter(my_waits):
///     for w in my_waits:
///         time.sleep(w)         # or, holding the GIL: a C call that blocks
/// threads = [threading.Thread(target=waiter, args=(waits[i::n],)) for i in range(n)]
/// ```
///
/// Read: *Threads on the model* (the model's two kinds of wait).
pub fn run_io_bound(interp: &Interpreter, threads: usize, waits: &[Duration], release_gil: bool) {
    // TODO: give each thread its own share of the waits (a closure passed to a thread
    // must own what it uses), start them all, then join them all. Without
    // `release_gil`, the wait must keep the GIL: which of the ways to wait does that?
    todo!()
}
