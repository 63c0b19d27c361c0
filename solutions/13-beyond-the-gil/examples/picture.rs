//! The picture of chapter 13: the same CPU-bound work on two interpreters that share one
//! GIL (legacy sub-interpreters), then on two interpreters with a GIL each (PEP 684),
//! drawn on one time axis from a real run of the model.
//!
//! ```text
//! cargo run -q --release -p sol13-beyond-the-gil --example picture -- --out src/img
//! ```
//!
//! (`cargo xtask pictures` runs it with the book's other pictures.)

use std::io;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use beyond_the_gil::{CpuTask, Interpreter, Tracer, own_gil_interpreters};
use timeline::{State, Timeline, lanes_from_trace};

const FILE: &str = "13-one-gil-per-interpreter.svg";
const COMMAND: &str = "cargo xtask pictures";

fn main() -> ExitCode {
    timeline::picture_main(draw)
}

/// Runs one thread of `turns` turns in each of `interps`, all started before any is
/// joined; the threads are named `{prefix} {i}`.
fn run(interps: &[Interpreter], turns: u64, prefix: &str) {
    let task = CpuTask::new();
    let handles: Vec<_> = interps
        .iter()
        .enumerate()
        .map(|(i, interp)| {
            let task = task.clone();
            interp.spawn(&format!("{prefix} {i}"), move |py| task.run(py, turns))
        })
        .collect();
    for h in handles {
        h.join().expect("a CPU-bound Python thread cannot panic");
    }
}

fn draw(out: &Path) -> io::Result<()> {
    // About 40 ms of Python per thread: long enough to see, short enough for a picture.
    let turns = timing::size_work(Duration::from_millis(40), |n| {
        Interpreter::new().run("sizing", |py| py.cpu_work(n))
    });
    wait_for_free_cores();
    let tracer = Tracer::new();
    // Two legacy sub-interpreters on one GIL, at CPython's 5 ms switch interval.
    let main = Interpreter::builder().tracer(tracer.clone()).build();
    let sub = Interpreter::builder()
        .tracer(tracer.clone())
        .share_gil_with(&main)
        .build();
    run(&[main, sub], turns, "shared GIL: interpreter");
    std::thread::sleep(Duration::from_millis(5));
    // Two PEP 684 interpreters, a GIL each.
    run(
        &own_gil_interpreters(2, &tracer),
        turns,
        "own GIL: interpreter",
    );

    let log = tracer.log();
    let shared_end = log
        .events
        .iter()
        .filter(|e| {
            log.threads
                .iter()
                .any(|t| t.id == e.thread && t.name.starts_with("shared"))
        })
        .map(|e| e.t_ns)
        .max()
        .unwrap_or(0);
    let own_start = log
        .events
        .iter()
        .filter(|e| {
            log.threads
                .iter()
                .any(|t| t.id == e.thread && t.name.starts_with("own"))
        })
        .map(|e| e.t_ns)
        .min()
        .unwrap_or(0);
    let end = log.events.last().map_or(0, |e| e.t_ns);
    let ms = |ns: u64| ns as f64 / 1e6;
    let lanes = lanes_from_trace(&log, |_| State::BlockedIo);
    let svg = Timeline::new("Two interpreters: one shared GIL, then a GIL each")
        .caption(format!("A real run of the model: {COMMAND}"))
        .description(format!(
            "Each interpreter runs one thread of {turns} turns of CPU-bound Python. Sharing one GIL \
             (0 to {:.0} ms), the two threads take turns: one holds the GIL while the other waits. With a \
             GIL each (from {:.0} ms to {:.0} ms), both hold their own GIL at the same time, and the same \
             work takes {:.2} times as long as on one shared GIL.",
            ms(shared_end),
            ms(own_start),
            ms(end),
            (end - own_start) as f64 / shared_end.max(1) as f64
        ))
        .label(State::HoldingGil, "holding its interpreter's GIL")
        .label(State::WaitingForGil, "waiting for the GIL")
        .lanes(lanes)
        .to_svg();
    std::fs::create_dir_all(out)?;
    let path = out.join(FILE);
    std::fs::write(&path, svg)?;
    println!("wrote {}", path.display());
    Ok(())
}

/// Waits (up to about 5 s) until two cores are free, so the picture shows the model
/// rather than a neighbour; draws anyway after that.
fn wait_for_free_cores() {
    for _ in 0..10 {
        if timing::free_cores_among(2) >= 1.7 {
            return;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}
