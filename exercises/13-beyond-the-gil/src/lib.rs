//! Exercise 13: beyond the GIL.
//!
//! Two ways past the GIL, on the course's model of CPython (the `python-model` crate):
//!
//! - **one GIL per interpreter** (PEP 684, Python 3.12; `concurrent.interpreters`,
//!   PEP 734, Python 3.14): several interpreters in one process, each with a GIL of its
//!   own, run CPU-bound Python at the same time. You write [`own_gil_interpreters`] and
//!   [`run_on_interpreters`]; the checks race them against threads that share one GIL
//!   ([`threads_under_one_gil`], given).
//! - **no GIL at all** (PEP 703, the free-threaded build `python3.13t`): threads run
//!   Python in parallel, and `counter += 1`, which the GIL used to keep whole, loses
//!   updates again until a lock guards it. You write [`free_threaded_interpreter`] and
//!   [`count_in_threads`].
//!
//! Write them in this order (`cargo xtask check 13` shows one step at a time):
//! `own_gil_interpreters`, `run_on_interpreters`, `free_threaded_interpreter`,
//! `count_in_threads`. The chapter's page *Interpreters on the model* shows the
//! builder, `spawn` and the trace on other examples.
//!
//! Replace every `todo!()`, then run `cargo xtask check 13`.

// The stubs leave their parameters and imports unused until you fill them in; delete
// this line when you are done if you want the warnings back.
#![allow(unused_variables, unused_mut, unused_imports, dead_code)]

// Given: the CPU-bound task, and the baseline to beat (threads under one GIL).
mod cpu_task;
mod one_gil;
// Yours: one GIL per interpreter (PEP 684).
mod interpreters;
mod parallel;
// Yours: no GIL (PEP 703).
mod counter;
mod no_gil;

pub use counter::count_in_threads;
pub use cpu_task::CpuTask;
pub use interpreters::own_gil_interpreters;
pub use no_gil::free_threaded_interpreter;
pub use one_gil::threads_under_one_gil;
pub use parallel::run_on_interpreters;
pub use python_model::workloads::LostUpdates;
pub use python_model::{EvalError, GilMode, Interpreter, Program, PyThread, Tracer};
