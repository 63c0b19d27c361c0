//! Exercise 05: threads under the GIL.
//!
//! You write Python programs for the course's model of CPython (the `python-model`
//! crate): an [`Interpreter`] whose threads must hold its GIL to run Python. Everything
//! a thread does through its [`PyThread`] (`py` below) runs with the GIL held, except
//! `py.blocking(..)` and `py.sleep(..)`, which release it the way `time.sleep` and
//! blocking I/O do in CPython.
//!
//! | Python | the model |
//! |---|---|
//! | `threading.Thread(target=f).start()` | `interp.spawn("name", f)`, or [`start_thread`] from a Python thread |
//! | `t.join()` | `handle.join()` outside Python, `py.join(handle)` inside a Python thread |
//! | `time.sleep(s)` (releases the GIL) | `py.sleep(duration)` |
//! | a CPU-bound Python loop of `n` turns | `py.cpu_work(n)` |
//! | `print(line)` | `out.print(py, line)` ([`Stdout`]) |
//!
//! Replace every `todo!()`, then run `cargo xtask check`. Once they pass,
//! `cargo run -q -p ex05-threads-under-the-gil --bin ch05-threads` prints the notes'
//! example and your own measurements.

// The stubs leave their parameters and imports unused until you fill them in; delete
// this line when you are done if you want the warnings back.
#![allow(unused_variables, unused_mut, unused_imports, dead_code)]

use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

pub use python_model::{Interpreter, PyJoinHandle, PyThread};

// Given: Python's `print` and `Thread.start()` on the model, in python_threading.rs.
mod python_threading;
pub use python_threading::{Stdout, start_thread};

// ---------------------------------------------------------------------------
// The notes' example.
// ---------------------------------------------------------------------------

/// The notes' `task(name)`: prints `Starting {name}`, sleeps `io` as `time.sleep` does
/// (the simulated I/O, with the GIL released), prints `Finished {name}`.
///
/// ```python
/// def task(name):
///     print(f"Starting {name}")
///     time.sleep(2)  # Simulates I/O operation
///     print(f"Finished {name}")
/// ```
pub fn task(py: &mut PyThread, name: &str, io: Duration, out: &Stdout) {
    // TODO: three lines: `out.print(py, ...)`, `py.sleep(io)`, `out.print(py, ...)`.
    // `py.sleep` is `time.sleep`: it lets go of the GIL while it waits. A plain
    // `std::thread::sleep` would keep the GIL, and the other thread could not even print.
    todo!()
}

/// The notes' program on `interp`, with one thread per entry of `tasks` (its name and how
/// long its `task` sleeps), started in order. Returns the lines it printed, in the order
/// they were printed.
///
/// ```python
/// thread1 = threading.Thread(target=task, args=("Thread-1",))
/// thread2 = threading.Thread(target=task, args=("Thread-2",))
/// thread1.start()
/// thread2.start()
/// thread1.join()
/// thread2.join()
/// print("All threads completed!")
/// ```
pub fn notes_example(interp: &Interpreter, tasks: &[(&str, Duration)]) -> Vec<String> {
    // TODO: make a `Stdout`, then run the main program as a Python thread:
    // `interp.run("MainThread", |py| { ... })`. Inside it:
    // - for each (name, io) of `tasks`, in order, `start_thread(py, name, move |py| task(py, ...))`
    //   (the closure must own what it uses: `name.to_string()`, a clone of the `Stdout`);
    //   keep the handles;
    // - join every handle with `py.join(handle)`, which waits without the GIL (waiting
    //   while holding it would keep the threads from ever printing);
    // - print "All threads completed!".
    // Then return the output's lines.
    todo!()
}

// ---------------------------------------------------------------------------
// CPU-bound and I/O-bound work on 1 and N threads.
// ---------------------------------------------------------------------------

/// Splits `work` turns of a CPU-bound Python loop evenly over `threads` Python threads
/// of `interp` (`work / threads` turns each; the checks pass a multiple of `threads`),
/// all started before any is joined. Returns each thread's result, in the order the
/// threads were started.
///
/// ```python
/// threads = [threading.Thread(target=cpu_task, args=(work // n,)) for _ in range(n)]
/// for t in threads: t.start()
/// for t in threads: t.join()
/// ```
pub fn run_cpu_bound(interp: &Interpreter, threads: usize, work: u64) -> Vec<u64> {
    // TODO: start `threads` threads with `interp.spawn(&format!("worker-{i}"), move |py| ...)`,
    // each running `py.cpu_work(work / threads as u64)` and returning its result; keep the
    // handles; then join every one (`handle.join()`: this function is not a Python thread)
    // and collect the results. Start them all first, join them after: joining each right
    // after starting it would run the threads one by one.
    // `join` gives `Err` if the thread panicked: pass the panic on with
    // `std::panic::resume_unwind`.
    todo!()
}

/// Runs the `waits` on `threads` Python threads of `interp`, all started before any is
/// joined: thread `i` does `waits[i]`, `waits[i + threads]`, `waits[i + 2 * threads]`, …
/// one after another. With `release_gil`, each wait is `time.sleep` (`py.sleep`), which
/// releases the GIL; without it, the thread keeps the GIL while it waits, as a C extension
/// does that blocks without `Py_BEGIN_ALLOW_THREADS`.
pub fn run_io_bound(interp: &Interpreter, threads: usize, waits: &[Duration], release_gil: bool) {
    // TODO: for each i in 0..threads, collect this thread's waits
    // (`waits.iter().skip(i).step_by(threads)`) into a Vec the closure can own, and
    // `interp.spawn` a thread that does them in order: `py.sleep(wait)` when `release_gil`,
    // otherwise `std::thread::sleep(wait)` right inside the closure (the thread holds the
    // GIL all the time it is not inside `py.sleep`/`py.blocking`). Then join every thread,
    // passing a panic on as in `run_cpu_bound`.
    todo!()
}
