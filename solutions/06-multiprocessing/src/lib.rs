//! Reference solution for exercise 06: multiprocessing.
//!
//! A pool of worker processes, each running its own interpreter of the course's model
//! of CPython, so each with its own GIL. Jobs and replies cross the workers' stdin and
//! stdout as JSON lines; a worker that dies is reported with the job it held and
//! replaced.

#[cfg_attr(feature = "mistake-sequential-pool", path = "../mistakes/sequential-pool/dispatch.rs")]
mod dispatch;
pub mod frame;
// Given code: the exercise's own files, used as is.
#[path = "../../../exercises/06-multiprocessing/src/gil_threads.rs"]
mod gil_threads;
#[path = "../../../exercises/06-multiprocessing/src/job.rs"]
mod job;
mod pool;
#[path = "../../../exercises/06-multiprocessing/src/reap.rs"]
mod reap;
mod worker;

pub use gil_threads::gil_threads_map;
pub use job::{Ending, Job, JobError, Output, Reply};
pub use pool::{Pool, Worker};
pub use worker::serve;
