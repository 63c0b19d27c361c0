//! Reference solution for exercise 05: threads under the GIL.
//!
//! Python programs for the course's model of CPython: the notes' threading example, and
//! CPU-bound and I/O-bound work on 1 and N threads.

pub use python_model::{Interpreter, PyJoinHandle, PyThread};

// Python's `print` and `Thread.start()` on the model: the exercise's own file, used as is.
#[path = "../../../exercises/05-threads-under-the-gil/src/python_threading.rs"]
mod python_threading;
pub use python_threading::{Stdout, start_thread};

#[cfg_attr(feature = "mistake-join-holding-the-gil", path = "../mistakes/join-holding-the-gil/notes.rs")]
#[cfg_attr(feature = "mistake-spawn-instead-of-start", path = "../mistakes/spawn-instead-of-start/notes.rs")]
#[cfg_attr(feature = "mistake-sleep-keeps-the-gil", path = "../mistakes/sleep-keeps-the-gil/notes.rs")]
#[cfg_attr(feature = "alternative-loops-and-scopes", path = "../alternatives/loops-and-scopes/notes.rs")]
mod notes;
pub use notes::{notes_example, task};
#[cfg_attr(feature = "mistake-lazy-spawn-and-join", path = "../mistakes/lazy-spawn-and-join/cpu_bound.rs")]
#[cfg_attr(feature = "alternative-loops-and-scopes", path = "../alternatives/loops-and-scopes/cpu_bound.rs")]
mod cpu_bound;
pub use cpu_bound::run_cpu_bound;
#[cfg_attr(feature = "mistake-io-joined-in-turn", path = "../mistakes/io-joined-in-turn/io_bound.rs")]
#[cfg_attr(feature = "mistake-held-wait-is-a-blocking-call", path = "../mistakes/held-wait-is-a-blocking-call/io_bound.rs")]
#[cfg_attr(feature = "alternative-loops-and-scopes", path = "../alternatives/loops-and-scopes/io_bound.rs")]
mod io_bound;
pub use io_bound::run_io_bound;
