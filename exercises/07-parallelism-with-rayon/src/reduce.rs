//! A parallel reduction: `fold` a histogram per piece of work, then `reduce` them.

// The stub leaves its parameters and the imports unused until you fill it in.
#![allow(unused_imports, unused_variables)]

use rayon::prelude::*;

use crate::sequential::{BUCKETS, Histogram, bucket};
use crate::work::Work;

/// How many of the items' hashes fall into each bucket, counted on all of rayon's
/// threads.
///
/// Python would write (one `Counter` per process, added up at the end):
///
/// ```python
/// def count(chunk):
///     return Counter(bucket(hash_item(x)) for x in chunk)
///
/// with multiprocessing.Pool() as pool:
///     histogram = sum(pool.map(count, chunks), Counter())
/// ```
pub fn histogram(items: &[u64], work: &Work) -> Histogram {
    // TODO: two steps on `items.par_iter()`:
    // - `.fold(|| [0; BUCKETS], |mut counts, &item| { ...; counts })`: every piece of
    //   work rayon hands out starts its own histogram at zero and counts its items into
    //   it, `counts[bucket(work.hash(item))] += 1`, with no lock: nobody else sees it;
    // - `.reduce(|| [0; BUCKETS], |a, b| ...)`: adds two histograms bucket by bucket,
    //   until one is left. Rayon may combine them in any grouping, so the operation
    //   must be associative, and `[0; BUCKETS]` must change nothing it is added to.
    todo!()
}
