//! Chapter 07: parallelism with rayon, the reference solution.
//!
//! The same CPU-bound work three ways on every core (a `par_iter` map, a
//! `rayon::join` divide and conquer, a `fold`/`reduce` reduction), beside the
//! sequential versions and the same work on Python threads under one GIL; and
//! Amdahl's law. `cargo run -q --release -p sol07-parallelism-with-rayon --example bench`
//! measures them all.

#[cfg_attr(feature = "mistake-amdahl-integer-division", path = "../mistakes/amdahl-integer-division/amdahl.rs")]
mod amdahl;
// The code the course gives lives once, in the exercise.
#[path = "../../../exercises/07-parallelism-with-rayon/src/gil.rs"]
mod gil;
#[cfg_attr(feature = "mistake-join-splits-once", path = "../mistakes/join-splits-once/join.rs")]
mod join;
#[cfg_attr(feature = "mistake-sequential-iter", path = "../mistakes/sequential-iter/map.rs")]
#[cfg_attr(feature = "mistake-hash-all-two-halves", path = "../mistakes/hash-all-two-halves/map.rs")]
#[cfg_attr(feature = "alternative-chunks", path = "../alternatives/chunks/map.rs")]
mod map;
#[cfg_attr(feature = "mistake-histogram-hash-under-lock", path = "../mistakes/histogram-hash-under-lock/reduce.rs")]
#[cfg_attr(feature = "alternative-chunks", path = "../alternatives/chunks/reduce.rs")]
mod reduce;
#[path = "../../../exercises/07-parallelism-with-rayon/src/sequential.rs"]
mod sequential;
#[path = "../../../exercises/07-parallelism-with-rayon/src/work.rs"]
mod work;

pub use amdahl::{amdahl_speedup, parallel_fraction};
pub use gil::GilThreads;
pub use join::{LEAF, sum_with_join};
pub use map::hash_all;
pub use reduce::histogram;
pub use sequential::{
    BUCKETS, Histogram, bucket, hash_all_sequential, histogram_sequential, sum_sequential,
};
pub use work::{TURNS_PER_ITEM, Work};
