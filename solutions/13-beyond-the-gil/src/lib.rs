//! Chapter 13: beyond the GIL, the reference solution.
//!
//! Several interpreters of the model in one process, each with a GIL of its own
//! (PEP 684), run CPU-bound Python in parallel; a free-threaded interpreter (PEP 703)
//! runs it in parallel with no GIL at all, and `counter += 1` needs a lock again.

// The code the course gives lives once, in the exercise.
#[cfg_attr(feature = "mistake-no-lock-without-gil", path = "../mistakes/no-lock-without-gil/counter.rs")]
#[cfg_attr(feature = "mistake-rust-mutex-around-the-loop", path = "../mistakes/rust-mutex-around-the-loop/counter.rs")]
#[cfg_attr(feature = "mistake-thread-errors-dropped", path = "../mistakes/thread-errors-dropped/counter.rs")]
#[cfg_attr(feature = "alternative-scoped-threads", path = "../alternatives/scoped-threads/counter.rs")]
mod counter;
#[path = "../../../exercises/13-beyond-the-gil/src/cpu_task.rs"]
mod cpu_task;
#[cfg_attr(feature = "mistake-one-shared-gil", path = "../mistakes/one-shared-gil/interpreters.rs")]
#[cfg_attr(feature = "mistake-no-gil-interpreters", path = "../mistakes/no-gil-interpreters/interpreters.rs")]
mod interpreters;
mod no_gil;
#[path = "../../../exercises/13-beyond-the-gil/src/one_gil.rs"]
mod one_gil;
#[cfg_attr(feature = "mistake-lazy-spawn-and-join", path = "../mistakes/lazy-spawn-and-join/parallel.rs")]
#[cfg_attr(feature = "mistake-one-interpreter-for-all", path = "../mistakes/one-interpreter-for-all/parallel.rs")]
#[cfg_attr(feature = "alternative-scoped-threads", path = "../alternatives/scoped-threads/parallel.rs")]
mod parallel;

pub use counter::count_in_threads;
pub use cpu_task::CpuTask;
pub use interpreters::own_gil_interpreters;
pub use no_gil::free_threaded_interpreter;
pub use one_gil::threads_under_one_gil;
pub use parallel::run_on_interpreters;
pub use python_model::workloads::LostUpdates;
pub use python_model::{EvalError, GilMode, Interpreter, Program, PyThread, Tracer};
