//! `rayon::join`: divide and conquer.

use crate::sequential::sum_sequential;
use crate::work::Work;

/// Below this many items, `sum_with_join` adds them up on its own thread: splitting
/// further would cost more than it saves.
pub const LEAF: usize = 8;

/// The sum of the items' hashes (wrapping on overflow, as `sum_sequential` adds
/// them), the two halves of every slice summed at the same time.
///
/// Python would write it with a process pool, sending one half away:
///
/// ```python
/// def total(items):
///     if len(items) <= LEAF:
///         return sum_sequential(items)
///     mid = len(items) // 2
///     right = pool.submit(total, items[mid:])  # another process sums this half
///     return total(items[:mid]) + right.result()
/// ```
pub fn sum_with_join(items: &[u64], work: &Work) -> u64 {
    if items.len() <= LEAF {
        return sum_sequential(items, work);
    }
    let (left, right) = items.split_at(items.len() / 2);
    let (l, r) = rayon::join(
        || sum_with_join(left, work),  // on this thread
        || sum_with_join(right, work), // offered to idle threads
    );
    l.wrapping_add(r)
}
