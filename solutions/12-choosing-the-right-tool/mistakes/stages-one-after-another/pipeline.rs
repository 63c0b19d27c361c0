//! The mistake: "first download, then digest". The channel holds every reply, so the
//! answers are right; but the CPU stage waits for the last download before it starts.

use std::io;
use std::net::SocketAddr;
use std::sync::mpsc;

use crate::cpu_stage::digest_all;
use crate::digest::{Digest, Work};
use crate::io_stage::download_all;

/// Downloads everything, then digests everything.
pub fn pipeline(addr: SocketAddr, pages: &[u64], work: &Work) -> io::Result<Vec<Digest>> {
    let (sender, arrived) = mpsc::channel();
    download_all(addr, pages, sender)?;
    digest_all(arrived, pages, work)
}
