//! Stage 2 of the pipeline, the CPU-bound one: every core digesting, each page as
//! soon as the I/O stage has sent it.

use std::io;
use std::sync::mpsc::Receiver;

use rayon::prelude::*;

use crate::digest::{Digest, Work};
use crate::io_stage::Arrival;

/// Stage 2, CPU-bound: digests every reply that comes out of `arrived`, as it comes,
/// on all of rayon's threads (`work.digest(pages[index], &reply)`). Returns the
/// digests in the order of `pages`, or the first failure in that order; fails too if
/// fewer replies came than there are pages.
pub fn digest_all(
    arrived: Receiver<Arrival>,
    pages: &[u64],
    work: &Work,
) -> io::Result<Vec<Digest>> {
    let mut digests: Vec<(usize, io::Result<Digest>)> = arrived
        .into_iter()
        .par_bridge()
        .map(|(index, reply)| {
            let digest = reply.and_then(|reply| work.digest(pages[index], &reply));
            (index, digest)
        })
        .collect();
    if digests.len() != pages.len() {
        return Err(io::Error::other(format!(
            "{} of {} pages arrived: the download stage ended early",
            digests.len(),
            pages.len()
        )));
    }
    digests.sort_unstable_by_key(|&(index, _)| index);
    digests.into_iter().map(|(_, digest)| digest).collect()
}
