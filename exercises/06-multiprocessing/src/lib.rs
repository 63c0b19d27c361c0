//! Exercise 06: multiprocessing.
//!
//! A process pool, `multiprocessing.Pool` in Rust: its workers are real OS processes
//! (your `ch06-worker` binary, `src/bin/ch06-worker.rs`), and each runs its own
//! interpreter of the course's model of CPython, so each has its own GIL. Jobs go to
//! a worker on its stdin and replies come back on its stdout, one JSON line each.
//!
//! Five steps, one file each; `cargo xtask check 06` shows the first unfinished one:
//! 1. `frame.rs`: `send` and `receive`, one message per line;
//! 2. `worker.rs`: `serve`, the worker's loop;
//! 3. `pool.rs`: `Worker::spawn`, `Drop for Worker`, `Pool::new`;
//! 4. `run.rs`: `Worker::run`, one job, and a worker that dies holding it;
//! 5. `dispatch.rs`: `dispatch`, which keeps every worker busy at once.
//!
//! Written for you: `job.rs` (jobs, replies, errors), `reap.rs` (waiting for a worker
//! that ended) and `gil_threads.rs` (the same jobs on threads under one GIL: the thing
//! to beat).

// The stubs leave their parameters, imports and fields unused until you fill them in;
// delete this line when you are done if you want the warnings back.
#![allow(unused_variables, unused_mut, unused_imports, dead_code)]

mod dispatch;
pub mod frame;
mod gil_threads;
mod job;
mod pool;
mod reap;
mod run;
mod worker;

pub use gil_threads::gil_threads_map;
pub use job::{Ending, Job, JobError, Output, Reply};
pub use pool::{Pool, Worker};
pub use worker::serve;
