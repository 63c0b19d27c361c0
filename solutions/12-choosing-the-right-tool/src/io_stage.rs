//! Stage 1 of the pipeline, the I/O-bound one: every download waiting at once, on one
//! thread, each reply sent on to the CPU stage as soon as it has come.

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
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut fetches = JoinSet::new();
        for (index, &page) in pages.iter().enumerate() {
            let arrived = arrived.clone();
            fetches.spawn(async move {
                let reply = fetch_async(addr, page).await;
                // An error means the CPU stage has stopped listening: nothing to do.
                let _ = arrived.send((index, reply));
            });
        }
        while fetches.join_next().await.is_some() {}
    });
    Ok(())
}
