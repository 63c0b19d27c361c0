//! `par_iter`: a map over the items, shared out over rayon's threads.

use rayon::prelude::*;

use crate::work::Work;

/// Every item's hash, in the items' order, computed on all of rayon's threads.
///
/// Python would write (processes, because threads share one GIL):
///
/// ```python
/// with multiprocessing.Pool() as pool:
///     hashes = pool.map(hash_item, items)
/// ```
pub fn hash_all(items: &[u64], work: &Work) -> Vec<u64> {
    items.par_iter().map(|&item| work.hash(item)).collect()
}
