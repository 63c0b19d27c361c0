//! Exercise 12: choosing the right tool.
//!
//! A program that downloads pages and then parses and hashes them has two kinds of
//! work: waiting (I/O-bound) and computing (CPU-bound). Each deserves its own tool. You
//! build a pipeline whose I/O stage is async (many downloads waiting together on one
//! thread) and whose CPU stage is rayon (every core digesting), joined by a channel so
//! pages flow into the CPU stage as they arrive. Three steps, one file each;
//! `cargo xtask check 12` shows the first unfinished one:
//!
//! 1. `io_stage.rs`: `download_all`, the I/O stage;
//! 2. `cpu_stage.rs`: `digest_all`, the CPU stage;
//! 3. `pipeline.rs`: `pipeline`, both at once.
//!
//! Written for you: `fetch.rs` (one download, blocking or async), `digest.rs` (the
//! CPU-bound parse-and-hash of one page, which records who ran it and when) and
//! `baselines.rs` (the same job done with one technique each: the versions to beat,
//! and the sequential one to agree with).

mod baselines;
mod cpu_stage;
mod digest;
mod fetch;
mod io_stage;
mod pipeline;

pub use baselines::{async_only, rayon_only, sequential, threads_under_the_gil};
pub use cpu_stage::digest_all;
pub use digest::{Digest, Work};
pub use fetch::{TIMEOUT, fetch_async, fetch_blocking};
pub use io_stage::{Arrival, download_all};
pub use pipeline::pipeline;
