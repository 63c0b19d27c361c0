//! `hash_all` over chunks of a few items: rayon shares the chunks out, each chunk is
//! hashed in a plain loop, and `flat_map_iter` keeps the order.

use rayon::prelude::*;

use crate::sequential::hash_all_sequential;
use crate::work::Work;

/// Items in chunks of this many.
const CHUNK: usize = 4;

/// Every item's hash, in order, chunk by chunk on rayon's threads.
pub fn hash_all(items: &[u64], work: &Work) -> Vec<u64> {
    items
        .par_chunks(CHUNK)
        .flat_map_iter(|chunk| hash_all_sequential(chunk, work))
        .collect()
}
