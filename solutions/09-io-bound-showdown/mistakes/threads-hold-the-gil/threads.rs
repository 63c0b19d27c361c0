//! The mistake: each thread fetches with the GIL held. `fetch_page` is called straight
//! inside the thread, not inside `py.blocking(..)`, so the thread keeps the GIL while its
//! socket waits, and no other thread can even send its request.

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
            interp.spawn(&format!("fetcher-{i}"), move |_py| {
                mine.into_iter()
                    .map(|(at, n)| (at, fetch_page(addr, n, PATIENCE))) // the GIL stays held
                    .collect::<Vec<_>>()
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
