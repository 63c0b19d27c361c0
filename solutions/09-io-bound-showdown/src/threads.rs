//! The threaded client: Python threads of the model, the socket wait outside the GIL.

use std::io;
use std::net::SocketAddr;

use python_model::Interpreter;

use crate::{PATIENCE, fetch_page};

/// Fetches `pages` on `threads` Python threads of `interp`, all started before any is
/// joined: thread `i` fetches pages `i`, `i + threads`, … one after another, each inside
/// `py.blocking(..)`, so the GIL is free while it waits on the socket. Replies come back
/// in the order of `pages`.
pub fn fetch_with_threads(
    interp: &Interpreter,
    addr: SocketAddr,
    pages: &[u64],
    threads: usize,
) -> io::Result<Vec<String>> {
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let mine: Vec<(usize, u64)> = pages
                .iter()
                .copied()
                .enumerate()
                .skip(i)
                .step_by(threads)
                .collect();
            interp.spawn(&format!("fetcher-{i}"), move |py| {
                let mut fetched = Vec::with_capacity(mine.len());
                for (at, n) in mine {
                    // Py_BEGIN_ALLOW_THREADS around connect, send and recv, as CPython's
                    // socket module does.
                    fetched.push((at, py.blocking(|| fetch_page(addr, n, PATIENCE))));
                }
                fetched
            })
        })
        .collect();
    let mut replies = vec![String::new(); pages.len()];
    for handle in handles {
        let fetched = handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        for (at, reply) in fetched {
            replies[at] = reply?;
        }
    }
    Ok(replies)
}
