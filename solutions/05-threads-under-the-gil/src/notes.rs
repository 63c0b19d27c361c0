//! The notes' threading example, on the model.

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
            // thread.join(): waits without the GIL, so the threads can print meanwhile.
            if let Err(panic) = py.join(handle) {
                std::panic::resume_unwind(panic);
            }
        }
        out.print(py, "All threads completed!");
    });
    out.lines()
}
