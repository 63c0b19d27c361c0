//! The pipeline: the I/O stage (async) and the CPU stage (rayon) at the same time,
//! joined by a channel, so that each page is digested as soon as it has arrived.

use std::io;
use std::net::SocketAddr;
use std::sync::mpsc;
use std::thread;

use crate::cpu_stage::digest_all;
use crate::digest::{Digest, Work};
use crate::io_stage::download_all;

/// Both stages at once: downloads on one thread, digests on rayon's, the replies
/// flowing from one to the other through a channel. Gives what
/// [`crate::sequential`] gives, in the same order.
pub fn pipeline(addr: SocketAddr, pages: &[u64], work: &Work) -> io::Result<Vec<Digest>> {
    let (sender, arrived) = mpsc::channel();
    thread::scope(|s| {
        let downloads = s.spawn(move || download_all(addr, pages, sender));
        let digests = digest_all(arrived, pages, work);
        downloads
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        digests
    })
}
