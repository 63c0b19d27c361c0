//! Exercise 07: parallelism with rayon.
//!
//! Rust threads have no GIL: one process can keep every core busy. Here you share
//! CPU-bound work out over all cores three ways with rayon, then read Amdahl's law
//! off your own numbers. Replace every `todo!()` in these files, then run
//! `cargo xtask check`:
//!
//! - `map.rs`: `hash_all`, a map with `par_iter`;
//! - `join.rs`: `sum_with_join`, divide and conquer with `rayon::join`;
//! - `reduce.rs`: `histogram`, a reduction with `fold` and `reduce`;
//! - `amdahl.rs`: `parallel_fraction` and `amdahl_speedup`.
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
