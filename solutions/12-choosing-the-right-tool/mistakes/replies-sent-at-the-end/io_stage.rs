//! The mistake: the tasks return their replies, and the stage sends them as it joins
//! the tasks, in the order they were spawned.

use std::io;
use std::net::SocketAddr;
use std::sync::mpsc::Sender;

use crate::fetch::fetch_async;

/// What the I/O stage sends the CPU stage.
pub type Arrival = (usize, io::Result<String>);

/// Every download at once, each reply sent once its task has been joined, in order.
pub fn download_all(addr: SocketAddr, pages: &[u64], arrived: Sender<Arrival>) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let handles: Vec<_> = pages
            .iter()
            .map(|&page| tokio::spawn(fetch_async(addr, page)))
            .collect();
        for (index, handle) in handles.into_iter().enumerate() {
            let reply = handle.await.unwrap_or_else(|e| Err(io::Error::other(e)));
            let _ = arrived.send((index, reply));
        }
    });
    Ok(())
}
