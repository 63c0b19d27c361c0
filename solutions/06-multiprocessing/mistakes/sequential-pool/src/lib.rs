//! Mistake fixture for exercise 06: the reference pool, except that `dispatch` sends
//! one job, waits for its result, then sends the next. Every other module is the
//! solution's own file (or, for given code, the exercise's).

mod dispatch; // the mistake: src/dispatch.rs here
#[path = "../../../src/frame.rs"]
pub mod frame;
#[path = "../../../../../exercises/06-multiprocessing/src/gil_threads.rs"]
mod gil_threads;
#[path = "../../../../../exercises/06-multiprocessing/src/job.rs"]
mod job;
#[path = "../../../src/pool.rs"]
mod pool;
#[path = "../../../../../exercises/06-multiprocessing/src/reap.rs"]
mod reap;
#[path = "../../../src/worker.rs"]
mod worker;

pub use gil_threads::gil_threads_map;
pub use job::{Ending, Job, JobError, Output, Reply};
pub use pool::{Pool, Worker};
pub use worker::serve;
