//! `rayon::join`: divide and conquer.

// The stub leaves its parameters and the import unused until you fill it in.
#![allow(unused_imports, unused_variables)]

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
    // TODO: at `LEAF` items or fewer, return `sum_sequential(items, work)`.
    // Otherwise split the slice in two (`items.split_at(items.len() / 2)`), sum each
    // half with `sum_with_join` itself, inside
    //     let (l, r) = rayon::join(|| ..., || ...);
    // and return `l.wrapping_add(r)`. `rayon::join` runs the first closure on this
    // thread and offers the second to any idle thread of the pool; if none takes
    // it, this thread runs it next. Calling the two halves one after the other,
    // outside `join`, gives the right sum on one thread.
    todo!()
}
