//! The threaded client: Python threads of the model, the socket wait outside the GIL.

use std::io;
use std::net::SocketAddr;

use python_model::Interpreter;

use crate::{PATIENCE, fetch_page};

/// Fetches `pages` on `threads` Python threads of `interp`: thread `i` fetches pages `i`,
/// `i + threads`, `i + 2 × threads`, … one after another, with [`fetch_page`] and a
/// patience of [`PATIENCE`]. Returns the replies in the order of `pages` (the first error,
/// if any). `threads` is at least 1.
///
/// What the checks hold you to:
/// - every reply in its place, whatever order the threads finish in;
/// - the threads are Python threads of `interp`, and each fetch happens with the GIL
///   released, as CPython's `socket` module releases it around `connect`, `send` and
///   `recv`; otherwise the threads wait on their sockets one at a time;
/// - the threads run at the same time: `threads` requests are open at once (the server
///   holds its answers until they are).
///
/// ```python
/// def worker(i):
///     for at in range(i, len(pages), n_threads):
///         replies[at] = fetch(pages[at], PATIENCE)
/// threads = [threading.Thread(target=worker, args=(i,)) for i in range(n_threads)]
/// for t in threads: t.start()
/// for t in threads: t.join()
/// ```
///
/// Read: chapter 09, "Three clients", section "Threads under the GIL"
/// (`Interpreter::spawn`, `PyThread::blocking`, `PyJoinHandle::join`), and chapter 05 for
/// the model's threads.
pub fn fetch_with_threads(
    interp: &Interpreter,
    addr: SocketAddr,
    pages: &[u64],
    threads: usize,
) -> io::Result<Vec<String>> {
    // TODO: the Python above, on the model's threads. What must a thread own, and hand
    // back, so that every reply lands in its page's place? How many requests are open at
    // once if a thread is joined before the next one starts?
    todo!()
}
