//! Another correct shape: loops instead of iterator chains, and the main program's
//! last line printed before the lines are read back.

use std::time::Duration;

use python_model::{Interpreter, PyThread};

use crate::python_threading::{Stdout, start_thread};

/// The notes' `task`, with the name formatted once.
pub fn task(py: &mut PyThread, name: &str, io: Duration, out: &Stdout) {
    let (starting, finished) = (format!("Starting {name}"), format!("Finished {name}"));
    out.print(py, starting);
    py.blocking(|| std::thread::sleep(io));
    out.print(py, finished);
}

/// The notes' program, with a loop that keeps the handles.
pub fn notes_example(interp: &Interpreter, tasks: &[(&str, Duration)]) -> Vec<String> {
    let out = Stdout::new();
    interp.run("MainThread", |py| {
        let mut started = Vec::new();
        for (name, io) in tasks.iter().copied() {
            let out = out.clone();
            let own_name = String::from(name);
            started.push(start_thread(py, name, move |py| task(py, &own_name, io, &out)));
        }
        while let Some(handle) = (!started.is_empty()).then(|| started.remove(0)) {
            py.join(handle).unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
        out.print(py, "All threads completed!");
    });
    out.lines()
}
