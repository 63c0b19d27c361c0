//! Exercise 05: threads under the GIL.
//!
//! You write Python programs for the course's model of CPython (the `python-model`
//! crate): an [`Interpreter`] whose threads must hold its GIL to run Python. Everything
//! a thread does through its [`PyThread`] (`py` below) runs with the GIL held, except
//! `py.blocking(..)` and `py.sleep(..)`, which release it the way `time.sleep` and
//! blocking I/O do in CPython.
//!
//! Write them in this order (`cargo xtask check 05` shows one step at a time):
//! [`task`] and [`notes_example`] in `notes.rs`, [`run_cpu_bound`] in `cpu_bound.rs`,
//! [`run_io_bound`] in `io_bound.rs`. The chapter's page *Threads on the model* shows
//! the model's API on other programs. Once they pass,
//! `cargo run -q -p ex05-threads-under-the-gil --bin ch05-threads` prints the notes'
//! example and your own measurements.

// The stubs leave their parameters and imports unused until you fill them in; delete
// this line when you are done if you want the warnings back.
#![allow(unused_variables, unused_mut, unused_imports, dead_code)]

pub use python_model::{Interpreter, PyJoinHandle, PyThread};

// Given: Python's `print` and `Thread.start()` on the model.
mod python_threading;
pub use python_threading::{Stdout, start_thread};

// Yours, in this order.
mod notes;
pub use notes::{notes_example, task};
mod cpu_bound;
pub use cpu_bound::run_cpu_bound;
mod io_bound;
pub use io_bound::run_io_bound;
