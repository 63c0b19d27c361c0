//! The mistake: "waiting together" done with a thread per download. It works (Rust
//! threads have no GIL), but it is chapter 09's threads, not this stage's event loop.

use std::io;
use std::net::SocketAddr;
use std::sync::mpsc::Sender;
use std::thread;

use crate::fetch::fetch_blocking;

/// What the I/O stage sends the CPU stage.
pub type Arrival = (usize, io::Result<String>);

/// One scoped thread per page, each blocking on its download.
pub fn download_all(addr: SocketAddr, pages: &[u64], arrived: Sender<Arrival>) -> io::Result<()> {
    thread::scope(|s| {
        for (index, &page) in pages.iter().enumerate() {
            let arrived = arrived.clone();
            s.spawn(move || {
                let _ = arrived.send((index, fetch_blocking(addr, page)));
            });
        }
    });
    Ok(())
}
