//! Step 1 of 3: the I/O-bound stage. Every download waiting at once, on one thread,
//! each reply sent on to the CPU stage as soon as it has come.
//! Read: chapter 12, "The pipeline", section "Stage 1: waits on an event loop".

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

/// Stage 1, I/O-bound: downloads every page of `pages` at the same time and sends each
/// reply to `arrived` with its index in `pages`, the moment that download ends.
///
/// Guarantees:
/// - every download is in flight at once, all waiting together on one thread: a
///   one-thread tokio runtime built here, as asyncio runs one event loop;
/// - each page's reply is sent as soon as it has come, not after the others;
/// - every page is sent exactly once: a failed download is sent too, as an `Err`, so
///   the CPU stage can tell a lost page from a finished stage;
/// - returns `Ok(())` once every download has ended (and with it every clone of the
///   sender); fails only if the runtime cannot start.
///
/// Python: `asyncio.run(main())` where `main` makes one task per page with
/// `asyncio.create_task` and each task puts `(index, reply)` on a queue.
///
/// APIs: tokio's runtime `Builder` and `Runtime::block_on` (chapter 08's event loop),
/// `JoinSet` (`spawn`, `join_next`), `fetch_async` (given, in `fetch.rs`), `Sender::send`
/// and `clone`.
pub fn download_all(addr: SocketAddr, pages: &[u64], arrived: Sender<Arrival>) -> io::Result<()> {
    // TODO: every download in flight at once, each reply on its way the moment it has
    // come. What must a task own to do its part, and what has no place in a task on the
    // loop's only thread?
    todo!()
}
