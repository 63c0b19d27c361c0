//! `histogram` over chunks: each chunk's histogram sequentially, then added up.

use rayon::prelude::*;

use crate::sequential::{BUCKETS, Histogram, histogram_sequential};
use crate::work::Work;

/// Items in chunks of this many.
const CHUNK: usize = 4;

/// Each chunk counted on its own, the counts added pairwise.
pub fn histogram(items: &[u64], work: &Work) -> Histogram {
    items
        .par_chunks(CHUNK)
        .map(|chunk| histogram_sequential(chunk, work))
        .reduce(|| [0; BUCKETS], |a, b| std::array::from_fn(|i| a[i] + b[i]))
}
