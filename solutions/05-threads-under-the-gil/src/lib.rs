//! Reference solution for exercise 05: threads under the GIL.
//!
//! Python programs for the course's model of CPython: the notes' threading example, and
//! CPU-bound and I/O-bound work on 1 and N threads.

use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

pub use python_model::{Interpreter, PyJoinHandle, PyThread};

// Python's `print` and `Thread.start()` on the model: the exercise's own file, used as is.
#[path = "../../../exercises/05-threads-under-the-gil/src/python_threading.rs"]
mod python_threading;
pub use python_threading::{Stdout, start_thread};

// ---------------------------------------------------------------------------
// The notes' example.
// ---------------------------------------------------------------------------

// ANCHOR: task
/// The notes' `task(name)`: prints `Starting {name}`, sleeps `io` as `time.sleep` does
/// (the simulated I/O, with the GIL released), prints `Finished {name}`.
pub fn task(py: &mut PyThread, name: &str, io: Duration, out: &Stdout) {
    out.print(py, format!("Starting {name}"));
    py.sleep(io); // time.sleep(2): the GIL is released while it waits
    out.print(py, format!("Finished {name}"));
}
// ANCHOR_END: task

// ANCHOR: notes_example
/// The notes' program on `interp`, with one thread per entry of `tasks` (its name and how
/// long its `task` sleeps), started in order. Returns the lines it printed, in the order
/// they were printed.
pub fn notes_example(interp: &Interpreter, tasks: &[(&str, Duration)]) -> Vec<String> {
    let out = Stdout::new();
    interp.run("MainThread", |py| {
        let handles: Vec<_> = tasks
            .iter()
            .map(|&(name, io)| {
                let (name_owned, out) = (name.to_string(), out.clone());
                start_thread(py, name, move |py| task(py, &name_owned, io, &out))
            })
            .collect();
        for handle in handles {
            // thread.join(): waits without the GIL, so the threads can print meanwhile.
            if let Err(panic) = py.join(handle) {
                std::panic::resume_unwind(panic);
            }
        }
        out.print(py, "All threads completed!");
    });
    out.lines()
}
// ANCHOR_END: notes_example

// ---------------------------------------------------------------------------
// CPU-bound and I/O-bound work on 1 and N threads.
// ---------------------------------------------------------------------------

// ANCHOR: cpu_bound
/// Splits `work` turns of a CPU-bound Python loop evenly over `threads` Python threads
/// of `interp` (`work / threads` turns each), all started before any is joined. Returns
/// each thread's result, in the order the threads were started.
pub fn run_cpu_bound(interp: &Interpreter, threads: usize, work: u64) -> Vec<u64> {
    let share = work / threads as u64;
    let handles: Vec<_> = (0..threads)
        .map(|i| interp.spawn(&format!("worker-{i}"), move |py| py.cpu_work(share)))
        .collect();
    handles
        .into_iter()
        .map(|h| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
        .collect()
}
// ANCHOR_END: cpu_bound

// ANCHOR: io_bound
/// Runs the `waits` on `threads` Python threads of `interp`, all started before any is
/// joined: thread `i` does `waits[i]`, `waits[i + threads]`, … one after another. With
/// `release_gil`, each wait is `time.sleep` (`py.sleep`), which releases the GIL; without
/// it, the thread keeps the GIL while it waits.
pub fn run_io_bound(interp: &Interpreter, threads: usize, waits: &[Duration], release_gil: bool) {
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let mine: Vec<Duration> = waits.iter().skip(i).step_by(threads).copied().collect();
            interp.spawn(&format!("waiter-{i}"), move |py| {
                for wait in mine {
                    if release_gil {
                        py.sleep(wait); // Py_BEGIN_ALLOW_THREADS ... Py_END_ALLOW_THREADS
                    } else {
                        std::thread::sleep(wait); // blocks with the GIL held
                    }
                }
            })
        })
        .collect();
    for h in handles {
        if let Err(panic) = h.join() {
            std::panic::resume_unwind(panic);
        }
    }
}
// ANCHOR_END: io_bound
