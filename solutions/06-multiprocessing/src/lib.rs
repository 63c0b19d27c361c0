//! Reference solution for exercise 06: multiprocessing.
//!
//! A pool of worker processes, each running its own interpreter of the course's model
//! of CPython, so each with its own GIL. Jobs and replies cross the workers' stdin and
//! stdout as JSON lines; a worker that dies is reported with the job it held and
//! replaced.

#[cfg_attr(
    feature = "mistake-sequential-pool",
    path = "../mistakes/sequential-pool/dispatch.rs"
)]
#[cfg_attr(
    feature = "mistake-finishing-order",
    path = "../mistakes/finishing-order/dispatch.rs"
)]
#[cfg_attr(
    feature = "mistake-one-thread-per-core",
    path = "../mistakes/one-thread-per-core/dispatch.rs"
)]
#[cfg_attr(
    feature = "alternative-job-queue",
    path = "../alternatives/job-queue/dispatch.rs"
)]
mod dispatch;
pub mod frame;
// Given code: the exercise's own files, used as is.
#[path = "../../../exercises/06-multiprocessing/src/gil_threads.rs"]
mod gil_threads;
#[path = "../../../exercises/06-multiprocessing/src/job.rs"]
mod job;
#[cfg_attr(
    feature = "mistake-kill-without-wait",
    path = "../mistakes/kill-without-wait/pool.rs"
)]
mod pool;
#[path = "../../../exercises/06-multiprocessing/src/reap.rs"]
mod reap;
#[cfg_attr(
    feature = "mistake-dead-worker-as-bad-reply",
    path = "../mistakes/dead-worker-as-bad-reply/run.rs"
)]
#[cfg_attr(
    feature = "mistake-send-error-panics",
    path = "../mistakes/send-error-panics/run.rs"
)]
mod run;
#[cfg_attr(
    feature = "mistake-interpreter-per-job",
    path = "../mistakes/interpreter-per-job/worker.rs"
)]
mod worker;

pub use gil_threads::gil_threads_map;
pub use job::{Ending, Job, JobError, Output, Reply};
pub use pool::{Pool, Worker};
pub use worker::serve;
