//! `cargo xtask trace 05`: runs YOUR code on the model with tracing on and draws it
//! with the same timeline code as the book's pictures: the notes' example, then
//! I/O-bound threads that release the GIL around their waits, then CPU-bound threads.

use std::process::ExitCode;
use std::time::Duration;

use python_model::Interpreter;
use threads_under_the_gil::{notes_example, run_cpu_bound, run_io_bound};
use timeline::{State, Timeline, lanes_from_trace};

fn main() -> ExitCode {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: trace OUT.svg (cargo xtask trace 05 picks the path)");
        return ExitCode::from(2);
    };
    let interp = Interpreter::builder().trace(true).build();
    let ms = Duration::from_millis;
    notes_example(&interp, &[("Thread-1", ms(20)), ("Thread-2", ms(40))]);
    run_io_bound(&interp, 4, &[ms(15); 4], true);
    run_cpu_bound(&interp, 2, 2_000_000);
    let Some(trace) = interp.trace() else {
        eprintln!("the interpreter recorded no trace");
        return ExitCode::FAILURE;
    };
    // Every blocking call in this exercise is a sleep standing in for I/O.
    let lanes = lanes_from_trace(&trace, |_| State::Sleeping);
    let svg = Timeline::new("Your run of exercise 05")
        .caption("the notes' example, then 4 I/O-bound threads, then 2 CPU-bound threads")
        .lanes(lanes)
        .to_svg();
    if let Err(e) = std::fs::write(&out, svg) {
        eprintln!("could not write {out}: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
