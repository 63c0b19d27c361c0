//! The threaded client: Python threads of the model, the socket wait outside the GIL.

use std::io;
use std::net::SocketAddr;

use python_model::Interpreter;

use crate::fetch_page;

/// Fetches `pages` on `threads` Python threads of `interp`, all started before any is
/// joined: thread `i` fetches pages `i`, `i + threads`, … one after another, each inside
/// `py.blocking(..)`, so the GIL is free while it waits on the socket (CPython's `socket`
/// module releases the GIL around `connect`, `send` and `recv`). Replies come back in the
/// order of `pages`. `threads` is at least 1.
///
/// ```python
/// def worker(i):
///     for at in range(i, len(pages), n_threads):
///         replies[at] = fetch(pages[at])
/// threads = [threading.Thread(target=worker, args=(i,)) for i in range(n_threads)]
/// for t in threads: t.start()
/// for t in threads: t.join()
/// ```
pub fn fetch_with_threads(
    interp: &Interpreter,
    addr: SocketAddr,
    pages: &[u64],
    threads: usize,
) -> io::Result<Vec<String>> {
    // TODO: for each i in 0..threads, collect this thread's `(position, page)` pairs
    // (`pages.iter().copied().enumerate().skip(i).step_by(threads)`) into a Vec the closure
    // can own, and `interp.spawn(&format!("fetcher-{i}"), move |py| ...)` a thread that
    // fetches them in order, each as `py.blocking(|| fetch_page(addr, n))`, and returns
    // its `(position, io::Result<String>)` pairs. Keep the handles.
    // Then join every handle (`handle.join()`; `Err` means the thread panicked: pass it on
    // with `std::panic::resume_unwind`) and put each reply at its position.
    // Start them all first, join them after: joining each right after starting it fetches
    // one page at a time. A fetch outside `py.blocking` keeps the GIL while the socket
    // waits, and the threads take turns waiting.
    todo!()
}
