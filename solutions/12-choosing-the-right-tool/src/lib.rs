//! Chapter 12: choosing the right tool, the reference solution.
//!
//! A pipeline whose I/O stage is async (every download waiting together on one
//! thread) and whose CPU stage is rayon (every core digesting), joined by a channel.
//! `cargo xtask bench 12` times it against the single-technique versions.

// The code the course gives lives once, in the exercise.
#[path = "../../../exercises/12-choosing-the-right-tool/src/baselines.rs"]
mod baselines;
#[cfg_attr(
    feature = "mistake-digest-after-collecting",
    path = "../mistakes/digest-after-collecting/cpu_stage.rs"
)]
#[cfg_attr(
    feature = "mistake-results-in-arrival-order",
    path = "../mistakes/results-in-arrival-order/cpu_stage.rs"
)]
#[cfg_attr(
    feature = "alternative-spawn-per-reply",
    path = "../alternatives/spawn-per-reply/cpu_stage.rs"
)]
mod cpu_stage;
#[path = "../../../exercises/12-choosing-the-right-tool/src/digest.rs"]
mod digest;
#[path = "../../../exercises/12-choosing-the-right-tool/src/fetch.rs"]
mod fetch;
#[cfg_attr(
    feature = "mistake-blocking-downloads",
    path = "../mistakes/blocking-downloads/io_stage.rs"
)]
#[cfg_attr(
    feature = "mistake-download-error-swallowed",
    path = "../mistakes/download-error-swallowed/io_stage.rs"
)]
#[cfg_attr(
    feature = "mistake-thread-per-download",
    path = "../mistakes/thread-per-download/io_stage.rs"
)]
#[cfg_attr(
    feature = "mistake-replies-sent-at-the-end",
    path = "../mistakes/replies-sent-at-the-end/io_stage.rs"
)]
mod io_stage;
#[cfg_attr(
    feature = "mistake-cpu-on-the-event-loop",
    path = "../mistakes/cpu-on-the-event-loop/pipeline.rs"
)]
#[cfg_attr(
    feature = "mistake-stages-one-after-another",
    path = "../mistakes/stages-one-after-another/pipeline.rs"
)]
mod pipeline;

pub use baselines::{async_only, rayon_only, sequential, threads_under_the_gil};
pub use cpu_stage::digest_all;
pub use digest::{Digest, Work};
pub use fetch::{TIMEOUT, fetch_async, fetch_blocking};
pub use io_stage::{Arrival, download_all};
pub use pipeline::pipeline;
