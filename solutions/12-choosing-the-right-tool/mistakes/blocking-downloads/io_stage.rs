//! The I/O stage with the mistake: the tasks download with the blocking
//! `fetch_blocking`, so the event loop's one thread waits for each page in turn.

use std::io;
use std::net::SocketAddr;
use std::sync::mpsc::Sender;

use tokio::task::JoinSet;

use crate::fetch::fetch_blocking;

/// What the I/O stage sends the CPU stage.
pub type Arrival = (usize, io::Result<String>);

/// The mistake: "it is inside an async task, so it is async". A blocking call does
/// not yield to the runtime: it holds the loop's only thread until the page has come,
/// and no other task runs meanwhile.
pub fn download_all(addr: SocketAddr, pages: &[u64], arrived: Sender<Arrival>) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut downloads = JoinSet::new();
        for (index, &page) in pages.iter().enumerate() {
            let arrived = arrived.clone();
            downloads.spawn(async move {
                let reply = fetch_blocking(addr, page);
                let _ = arrived.send((index, reply));
            });
        }
        while downloads.join_next().await.is_some() {}
    });
    Ok(())
}
