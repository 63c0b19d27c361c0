//! The notes' threading example, on the model.

use std::time::Duration;

use python_model::{Interpreter, PyThread};

use crate::python_threading::{Stdout, start_thread};

/// The notes' `task(name)`: prints `Starting {name}`, sleeps `io` as `time.sleep` does
/// (the simulated I/O, with the GIL released, so that other threads can run Python
/// meanwhile), prints `Finished {name}`.
///
/// ```python
/// def task(name):
///     print(f"Starting {name}")
///     time.sleep(2)  # Simulates I/O operation
///     print(f"Finished {name}")
/// ```
///
/// Read: *Threads on the model* (`Stdout::print`, and the model's two kinds of wait).
pub fn task(py: &mut PyThread, name: &str, io: Duration, out: &Stdout) {
    // TODO: the three steps of the Python above. Which of the model's waits lets
    // another thread print while this one sleeps?
    todo!()
}

/// The notes' program on `interp`: its main program is a Python thread too (called
/// `MainThread`), which starts one thread per entry of `tasks` (named as given, running
/// `task` with that entry's sleep), in order, then joins them all, then prints the
/// notes' last line (below). Returns the lines printed, in the order they were printed.
/// Like `Thread.start()`, each start returns only once the new thread runs, and the
/// threads' sleeps overlap.
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
///
/// Read: *Threads on the model* (`Interpreter::run`, the given `start_thread`, and how
/// a Python thread waits for another without keeping the GIL).
pub fn notes_example(interp: &Interpreter, tasks: &[(&str, Duration)]) -> Vec<String> {
    // TODO: the main program, as a Python thread of `interp`. While it waits for its
    // threads, who holds the GIL, and can they print their `Finished` lines without it?
    todo!()
}
