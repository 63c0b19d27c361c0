//! Exercise 07: parallelism with rayon.
//!
//! Rust threads have no GIL: one process can keep every core busy. Here you share
//! CPU-bound work out over all cores three ways with rayon, then read Amdahl's law
//! off your own numbers. Four steps, one file each; `cargo xtask check 07` shows the
//! first unfinished one:
//!
//! 1. `map.rs`: `hash_all`, a map with `par_iter`;
//! 2. `join.rs`: `sum_with_join`, divide and conquer with `rayon::join`;
//! 3. `reduce.rs`: `histogram`, a reduction with `fold` and `reduce`;
//! 4. `amdahl.rs`: `parallel_fraction` and `amdahl_speedup`.
//!
//! Written for you: `work.rs` (the CPU-bound `Work::hash`, which records who ran it
//! and when), `sequential.rs` (the versions to beat, and to agree with) and `gil.rs`
//! (the same work on Python threads under one GIL, for comparison).

mod amdahl;
mod gil;
mod join;
mod map;
mod reduce;
mod sequential;
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
