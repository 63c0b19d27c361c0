//! The mistake: each task returns `io::Result<()>` and stops at a failed download
//! with `?`, so only the good replies are ever sent.

use std::io;
use std::net::SocketAddr;
use std::sync::mpsc::Sender;

use tokio::task::JoinSet;

use crate::fetch::fetch_async;

/// What the I/O stage sends the CPU stage.
pub type Arrival = (usize, io::Result<String>);

/// Every download at once; a failed one ends its task before it sends anything.
pub fn download_all(addr: SocketAddr, pages: &[u64], arrived: Sender<Arrival>) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut downloads = JoinSet::new();
        for (index, &page) in pages.iter().enumerate() {
            let arrived = arrived.clone();
            downloads.spawn(async move {
                let reply = fetch_async(addr, page).await?;
                let _ = arrived.send((index, Ok(reply)));
                Ok::<(), io::Error>(())
            });
        }
        while downloads.join_next().await.is_some() {}
    });
    Ok(())
}
