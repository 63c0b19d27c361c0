//! A parallel reduction: `fold` a histogram per piece of work, then `reduce` them.

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
    items
        .par_iter()
        .fold(
            || [0; BUCKETS],
            |mut counts, &item| {
                counts[bucket(work.hash(item))] += 1;
                counts
            },
        )
        .reduce(
            || [0; BUCKETS],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    *x += y;
                }
                a
            },
        )
}
