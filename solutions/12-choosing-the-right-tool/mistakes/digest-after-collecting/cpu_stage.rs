//! The mistake: the replies are collected first, then digested in parallel. Right,
//! and parallel; but nothing is digested until the last download has ended.

use std::io;
use std::sync::mpsc::Receiver;

use rayon::prelude::*;

use crate::digest::{Digest, Work};
use crate::io_stage::Arrival;

/// Waits for every reply, then digests them all on rayon's threads.
pub fn digest_all(
    arrived: Receiver<Arrival>,
    pages: &[u64],
    work: &Work,
) -> io::Result<Vec<Digest>> {
    let mut replies: Vec<Arrival> = arrived.into_iter().collect();
    if replies.len() != pages.len() {
        return Err(io::Error::other(format!(
            "{} of {} pages arrived",
            replies.len(),
            pages.len()
        )));
    }
    replies.sort_unstable_by_key(|(index, _)| *index);
    replies
        .into_par_iter()
        .map(|(index, reply)| reply.and_then(|text| work.digest(pages[index], &text)))
        .collect()
}
