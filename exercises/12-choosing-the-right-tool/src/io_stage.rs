//! Stage 1 of your pipeline, the I/O-bound one: every download waiting at once, on one
//! thread, each reply sent on to the CPU stage as soon as it has come.

// The stub leaves its parameters and some imports unused until you fill it in.
#![allow(unused_imports, unused_variables)]

use std::io;
use std::net::SocketAddr;
use std::sync::mpsc::Sender;

use tokio::task::JoinSet;

use crate::fetch::fetch_async;

/// What the I/O stage sends the CPU stage: the page's index in `pages`, and the
/// server's reply to it (or why the download failed).
pub type Arrival = (usize, io::Result<String>);

/// Stage 1, I/O-bound: downloads every page of `pages` at the same time, all waiting
/// together on one thread (a one-thread tokio runtime built here, asyncio's event
/// loop), and sends each reply to `arrived` as soon as it has come, with its index.
/// A failed download is sent too, as an `Err`. Returns once every download has ended;
/// fails only if the runtime cannot start.
pub fn download_all(addr: SocketAddr, pages: &[u64], arrived: Sender<Arrival>) -> io::Result<()> {
    // TODO:
    // 1. `let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;`
    // 2. `runtime.block_on(async { ... })`, and inside it a `JoinSet::new()`;
    //    for `(index, &page)` in `pages.iter().enumerate()`, spawn one task that owns a
    //    clone of `arrived`, awaits `fetch_async(addr, page)` and sends `(index, reply)`
    //    (ignore a send error: it only means the CPU stage stopped listening).
    // 3. Still inside, wait for every task: `while tasks.join_next().await.is_some() {}`.
    // Only download here. Digesting inside the tasks would put CPU work on the event
    // loop: one thread, one page at a time.
    todo!()
}
