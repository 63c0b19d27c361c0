//! The reference solution of chapter 13 with one mistake: `count_in_threads` never
//! takes the lock, since the GIL kept `counter += 1` whole (see `counter.rs`). Every
//! other module is the solution's own file, or the exercise's for the code the course
//! gives.

mod counter;
#[path = "../../../../../exercises/13-beyond-the-gil/src/cpu_task.rs"]
mod cpu_task;
#[path = "../../../src/interpreters.rs"]
mod interpreters;
#[path = "../../../src/no_gil.rs"]
mod no_gil;
#[path = "../../../../../exercises/13-beyond-the-gil/src/one_gil.rs"]
mod one_gil;
#[path = "../../../src/parallel.rs"]
mod parallel;

pub use counter::count_in_threads;
pub use cpu_task::CpuTask;
pub use interpreters::own_gil_interpreters;
pub use no_gil::free_threaded_interpreter;
pub use one_gil::threads_under_one_gil;
pub use parallel::run_on_interpreters;
pub use python_model::workloads::LostUpdates;
pub use python_model::{EvalError, GilMode, Interpreter, Program, PyThread, Tracer};
