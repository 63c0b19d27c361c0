//! The sequential versions, written for you: one item after another on the calling
//! thread. Yours must give the same answers, sooner.

use crate::work::Work;

/// How many buckets a [`Histogram`] has.
pub const BUCKETS: usize = 16;

/// How many hashes fell into each bucket.
pub type Histogram = [u64; BUCKETS];

/// The bucket of `hash`: its top four bits.
pub fn bucket(hash: u64) -> usize {
    (hash >> 60) as usize
}

/// Every item's hash, in the items' order.
pub fn hash_all_sequential(items: &[u64], work: &Work) -> Vec<u64> {
    items.iter().map(|&item| work.hash(item)).collect()
}

/// The sum of the items' hashes, wrapping around on overflow (so the order in which
/// they are added never changes the answer).
pub fn sum_sequential(items: &[u64], work: &Work) -> u64 {
    items
        .iter()
        .map(|&item| work.hash(item))
        .fold(0, u64::wrapping_add)
}

/// How many of the items' hashes fall into each [`bucket`].
pub fn histogram_sequential(items: &[u64], work: &Work) -> Histogram {
    let mut histogram = [0; BUCKETS];
    for &item in items {
        histogram[bucket(work.hash(item))] += 1;
    }
    histogram
}
