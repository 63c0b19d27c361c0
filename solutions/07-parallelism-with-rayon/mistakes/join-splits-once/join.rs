//! The mistake: one split, then each half summed in a loop. Right, and parallel on two
//! cores, but never on more than two threads.

use crate::sequential::sum_sequential;
use crate::work::Work;

/// Below this many items there is nothing to split.
pub const LEAF: usize = 8;

/// Two halves at the same time, each summed sequentially.
pub fn sum_with_join(items: &[u64], work: &Work) -> u64 {
    if items.len() <= LEAF {
        return sum_sequential(items, work);
    }
    let (front, back) = items.split_at(items.len() / 2);
    let (a, b) = rayon::join(
        || sum_sequential(front, work),
        || sum_sequential(back, work),
    );
    a.wrapping_add(b)
}
