//! The mistake: each Python thread is joined right after it is started, before the next
//! one starts. Every reply is right and in its place; only one thread ever runs.

use std::io;
use std::net::SocketAddr;

use python_model::Interpreter;

use crate::{PATIENCE, fetch_page};

/// Fetches `pages` on `threads` Python threads, one thread at a time.
pub fn fetch_with_threads(
    interp: &Interpreter,
    addr: SocketAddr,
    pages: &[u64],
    threads: usize,
) -> io::Result<Vec<String>> {
    let mut replies = vec![String::new(); pages.len()];
    for i in 0..threads {
        let mine: Vec<(usize, u64)> = pages.iter().copied().enumerate().skip(i).step_by(threads).collect();
        let handle = interp.spawn(&format!("fetcher-{i}"), move |py| {
            mine.into_iter()
                .map(|(at, n)| (at, py.blocking(|| fetch_page(addr, n, PATIENCE))))
                .collect::<Vec<_>>()
        });
        // Joined at once: the next thread starts only when this one is done.
        let fetched = handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        for (at, reply) in fetched {
            replies[at] = reply?;
        }
    }
    Ok(replies)
}
