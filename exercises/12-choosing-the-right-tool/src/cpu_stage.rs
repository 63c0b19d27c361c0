//! Stage 2 of your pipeline, the CPU-bound one: every core digesting, each page as
//! soon as the I/O stage has sent it.

// The stub leaves its parameters and the import unused until you fill it in.
#![allow(unused_imports, unused_variables)]

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
    // TODO:
    // 1. `arrived.into_iter().par_bridge()` turns the channel into a parallel iterator:
    //    each of rayon's threads takes the next reply when it is free.
    // 2. Map each `(index, reply)` to `(index, digest)`, where the digest is
    //    `reply.and_then(|reply| work.digest(pages[index], &reply))`, and
    //    `.collect::<Vec<_>>()`: the replies arrive in any order, so keep the index.
    // 3. If fewer than `pages.len()` came, return an `io::Error::other(..)` that says so.
    // 4. Sort by index (`sort_unstable_by_key`), then `.into_iter().map(|(_, d)| d).collect()`
    //    turns the list of results into one `io::Result<Vec<Digest>>`.
    todo!()
}
