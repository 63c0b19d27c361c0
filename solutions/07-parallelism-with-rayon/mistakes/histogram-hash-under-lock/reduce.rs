//! The mistake: one histogram for everybody, behind a lock, and the lock taken before
//! the hash is computed.

use std::sync::Mutex;

use rayon::prelude::*;

use crate::sequential::{BUCKETS, Histogram, bucket};
use crate::work::Work;

/// Every thread adds to the same histogram, holding its lock while it hashes.
pub fn histogram(items: &[u64], work: &Work) -> Histogram {
    let shared = Mutex::new([0; BUCKETS]);
    items.par_iter().for_each(|&item| {
        let mut counts = shared.lock().expect("no thread panics holding it");
        counts[bucket(work.hash(item))] += 1;
    });
    shared.into_inner().expect("no thread panicked holding it")
}
