//! `cargo xtask trace 04`: YOUR GIL at work, drawn with the same timeline code as the
//! book's pictures: two CPU-bound threads trading it at the switch interval, and a
//! thread doing short blocking calls that must queue for it each time it comes back.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use python_model::Interpreter;
use the_gil::MyGil;
use timeline::{State, Timeline, lanes_from_trace};

fn main() -> ExitCode {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: trace OUT.svg (cargo xtask trace 04 picks the path)");
        return ExitCode::from(2);
    };
    let interp = Interpreter::builder().gil(Arc::new(MyGil::new())).trace(true).build();
    let cpu: Vec<_> = (0..2)
        .map(|i| {
            interp.spawn(&format!("cpu-{i}"), |py| {
                py.cpu_work(1_500_000);
            })
        })
        .collect();
    let io = interp.spawn("io", |py| {
        for _ in 0..6 {
            py.blocking(|| std::thread::sleep(Duration::from_millis(2)));
        }
    });
    for handle in cpu.into_iter().chain(std::iter::once(io)) {
        if handle.join().is_err() {
            eprintln!("a thread of the traced run panicked (see above)");
            return ExitCode::FAILURE;
        }
    }
    let Some(trace) = interp.trace() else {
        eprintln!("the interpreter recorded no trace");
        return ExitCode::FAILURE;
    };
    let lanes = lanes_from_trace(&trace, |_| State::BlockedIo);
    let svg = Timeline::new("Your GIL, exercise 04")
        .caption("two CPU-bound threads and one thread making short blocking calls")
        .lanes(lanes)
        .to_svg();
    if let Err(e) = std::fs::write(&out, svg) {
        eprintln!("could not write {out}: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
