//! Step 2 of 3: the CPU-bound stage. Every core digesting, each page as soon as the
//! I/O stage has sent it. Read: chapter 12, "The pipeline", section "Stage 2:
//! computing on rayon".

// The stub leaves its parameters and the import unused until you fill it in.
#![allow(unused_imports, unused_variables)]

use std::io;
use std::sync::mpsc::Receiver;

use rayon::prelude::*;

use crate::digest::{Digest, Work};
use crate::io_stage::Arrival;

/// Stage 2, CPU-bound: digests every reply that comes out of `arrived`, as it comes,
/// on the threads of the rayon pool it is called in.
///
/// Guarantees:
/// - the first digest starts as soon as the first reply is in the channel, while the
///   I/O stage may still be downloading;
/// - several replies are digested at the same moment (in a pool of 8 threads, the
///   checks look for 4);
/// - each reply is digested once, as the page at its index: `work.digest` of
///   `pages[index]` and the reply;
/// - the result is in the order of `pages`, whatever order the replies came in; a
///   failed reply (or digest) gives the first failure in that order; fewer replies
///   than pages is an error too, since a short list would pass for the whole answer.
///
/// Python: `pool.imap_unordered(digest, iter(queue.get, None))` on a
/// `multiprocessing.Pool`, then sorting by index.
///
/// APIs: `par_bridge` (a parallel iterator fed by any iterator: each thread takes the
/// next item when it is free), `Result::and_then`, `Error::other` (in `io`); a `Vec` of
/// `io::Result`s collects into one `io::Result` of a `Vec`.
pub fn digest_all(
    arrived: Receiver<Arrival>,
    pages: &[u64],
    work: &Work,
) -> io::Result<Vec<Digest>> {
    // TODO: digests start while replies are still coming, several at once, and finish
    // in any order. What must each keep so that the answer comes out in the order of
    // `pages`? And how do you know that every page came?
    todo!()
}
