//! Chapter 07: parallelism with rayon, the reference solution.
//!
//! The same CPU-bound work three ways on every core (a `par_iter` map, a
//! `rayon::join` divide and conquer, a `fold`/`reduce` reduction), beside the
//! sequential versions and the same work on Python threads under one GIL; and
//! Amdahl's law. `cargo run -q --release -p sol07-parallelism-with-rayon --example bench`
//! measures them all.

mod amdahl;
// The code the course gives lives once, in the exercise.
#[path = "../../../exercises/07-parallelism-with-rayon/src/gil.rs"]
mod gil;
mod join;
#[cfg_attr(feature = "mistake-sequential-iter", path = "../mistakes/sequential-iter/map.rs")]
mod map;
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
