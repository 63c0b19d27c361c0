//! The mistake: the main program joins its threads with `PyJoinHandle::join`, which
//! waits while it keeps the GIL; the threads cannot print `Finished` without it.

use std::time::Duration;

use python_model::{Interpreter, PyThread};

use crate::python_threading::{Stdout, start_thread};

/// The notes' `task(name)`: prints `Starting {name}`, sleeps `io` as `time.sleep` does
/// (the simulated I/O, with the GIL released), prints `Finished {name}`.
pub fn task(py: &mut PyThread, name: &str, io: Duration, out: &Stdout) {
    out.print(py, format!("Starting {name}"));
    py.sleep(io); // time.sleep(2): the GIL is released while it waits
    out.print(py, format!("Finished {name}"));
}

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
            // The mistake: a plain join, made while the main program holds the GIL.
            if let Err(panic) = handle.join() {
                std::panic::resume_unwind(panic);
            }
        }
        out.print(py, "All threads completed!");
    });
    out.lines()
}
