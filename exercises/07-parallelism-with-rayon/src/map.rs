//! `par_iter`: a map over the items, shared out over rayon's threads.

// The stub leaves its parameters and the import unused until you fill it in.
#![allow(unused_imports, unused_variables)]

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
    // TODO: `hash_all_sequential` (in sequential.rs) is
    //     items.iter().map(|&item| work.hash(item)).collect()
    // Do the same from `items.par_iter()`: rayon cuts the slice into pieces, each of
    // its threads takes pieces as it becomes free, and `collect` puts the hashes
    // back in the items' order. `use rayon::prelude::*` (above) brings `par_iter` in.
    todo!()
}
