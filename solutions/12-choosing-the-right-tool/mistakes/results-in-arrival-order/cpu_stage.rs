//! The mistake: the index travels with the reply but is never used to put the digests
//! back in order.

use std::io;
use std::sync::mpsc::Receiver;

use rayon::prelude::*;

use crate::digest::{Digest, Work};
use crate::io_stage::Arrival;

/// Digests as replies come, and keeps them in that order.
pub fn digest_all(
    arrived: Receiver<Arrival>,
    pages: &[u64],
    work: &Work,
) -> io::Result<Vec<Digest>> {
    let digests: Vec<io::Result<Digest>> = arrived
        .into_iter()
        .par_bridge()
        .map(|(index, reply)| reply.and_then(|text| work.digest(pages[index], &text)))
        .collect();
    if digests.len() != pages.len() {
        return Err(io::Error::other(format!(
            "{} of {} pages arrived",
            digests.len(),
            pages.len()
        )));
    }
    digests.into_iter().collect()
}
