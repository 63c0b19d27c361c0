//! The reference solution of chapter 07 with one mistake: `hash_all` maps with
//! `.iter()` instead of `.par_iter()` (see `map.rs`). Every other module is the
//! solution's own file, or the exercise's for the code the course gives.

#[path = "../../../src/amdahl.rs"]
mod amdahl;
#[path = "../../../../../exercises/07-parallelism-with-rayon/src/gil.rs"]
mod gil;
#[path = "../../../src/join.rs"]
mod join;
mod map;
#[path = "../../../src/reduce.rs"]
mod reduce;
#[path = "../../../../../exercises/07-parallelism-with-rayon/src/sequential.rs"]
mod sequential;
#[path = "../../../../../exercises/07-parallelism-with-rayon/src/work.rs"]
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
