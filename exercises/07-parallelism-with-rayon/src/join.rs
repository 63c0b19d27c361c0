//! Step 2 of 4: `rayon::join`, divide and conquer.
//! Read: chapter 07, "One process, every core", section "Divide and conquer: `join`".

// The stub leaves its parameters and the import unused until you fill it in.
#![allow(unused_imports, unused_variables)]

use crate::sequential::sum_sequential;
use crate::work::Work;

/// Below this many items, `sum_with_join` adds them up on its own thread: splitting
/// further would cost more than it saves.
pub const LEAF: usize = 8;

/// The sum of the items' hashes, wrapping on overflow as `sum_sequential` adds them.
///
/// Guarantees: the same sum as `sum_sequential`; each item hashed once; a slice of
/// more than `LEAF` items is cut in two and both halves are summed the same way, at
/// the same time when threads are free, down to slices of `LEAF` items or fewer (the
/// leaves), which `sum_sequential` adds up. In a pool of 8 threads, many leaves run at
/// the same moment (the checks look for 4), not just two halves.
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
///
/// APIs: `rayon::join` (runs two closures, perhaps at the same time, and returns both
/// results), `split_at`, `wrapping_add`.
pub fn sum_with_join(items: &[u64], work: &Work) -> u64 {
    // TODO: a base case, so that the recursion ends, and a recursive case whose two
    // halves are offered to other threads while this one works.
    todo!()
}
