//! The reference solution of chapter 12 with one mistake: `pipeline` digests each
//! page inside its async task, on the one-thread runtime (see `pipeline.rs`). Every
//! other module is the solution's own file, or the exercise's for the code the
//! course gives.

#[path = "../../../../../exercises/12-choosing-the-right-tool/src/baselines.rs"]
mod baselines;
#[path = "../../../src/cpu_stage.rs"]
mod cpu_stage;
#[path = "../../../../../exercises/12-choosing-the-right-tool/src/digest.rs"]
mod digest;
#[path = "../../../../../exercises/12-choosing-the-right-tool/src/fetch.rs"]
mod fetch;
#[path = "../../../src/io_stage.rs"]
mod io_stage;
mod pipeline;

pub use baselines::{async_only, rayon_only, sequential, threads_under_the_gil};
pub use cpu_stage::digest_all;
pub use digest::{Digest, Work};
pub use fetch::{TIMEOUT, fetch_async, fetch_blocking};
pub use io_stage::{Arrival, download_all};
pub use pipeline::pipeline;
