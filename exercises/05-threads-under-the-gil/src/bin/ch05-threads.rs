//! Runs the notes' threading example on the model and measures CPU-bound and I/O-bound
//! work on 1 and N threads under the GIL:
//! `cargo run -q -p ex05-threads-under-the-gil --bin ch05-threads`.

use std::time::{Duration, Instant};

use threads_under_the_gil::{Interpreter, notes_example, run_cpu_bound, run_io_bound};

/// Each figure is the fastest of this many runs: another program can only add time.
const RUNS: usize = 3;

fn main() {
    // Thread-2 sleeps a little longer, so that its `Finished` line comes second for certain.
    let tasks = [
        ("Thread-1", Duration::from_millis(200)),
        ("Thread-2", Duration::from_millis(250)),
    ];
    let start = Instant::now();
    let lines = notes_example(&Interpreter::new(), &tasks);
    let took = start.elapsed();
    for line in &lines {
        println!("{line}");
    }
    println!(
        "(the sleeps of 0.20 s and 0.25 s took {:.2} s in all: they overlapped)\n",
        took.as_secs_f64()
    );

    // CPU-bound: about 0.3 s of Python on one thread, then split over two.
    let work = {
        let per_ms = iterations_per_ms();
        (per_ms * 300).next_multiple_of(2)
    };
    let cpu = best_of(
        || run_cpu_bound(&Interpreter::new(), 1, work),
        || run_cpu_bound(&Interpreter::new(), 2, work),
    );
    let waits = vec![Duration::from_millis(20); 10];
    let released = best_of(
        || run_io_bound(&Interpreter::new(), 1, &waits, true),
        || run_io_bound(&Interpreter::new(), 10, &waits, true),
    );
    let held = best_of(
        || run_io_bound(&Interpreter::new(), 1, &waits, false),
        || run_io_bound(&Interpreter::new(), 10, &waits, false),
    );
    println!("| work | 1 thread | N threads | speed-up |");
    println!("|---|---|---|---|");
    row("CPU-bound Python, N = 2", cpu);
    row("10 waits of 20 ms, GIL released, N = 10", released);
    row("10 waits of 20 ms, GIL held, N = 10", held);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("(measured on {cores} cores; each figure is the fastest of {RUNS} runs)");
}

/// Turns of `cpu_work` per millisecond on one thread.
fn iterations_per_ms() -> u64 {
    const PROBE: u64 = 200_000;
    let interp = Interpreter::new();
    let start = Instant::now();
    interp.run("calibrate", |py| py.cpu_work(PROBE));
    (PROBE as f64 / (start.elapsed().as_secs_f64() * 1e3)).max(1.0) as u64
}

/// The fastest of `RUNS` interleaved runs of each.
fn best_of<A, B>(mut one: impl FnMut() -> A, mut many: impl FnMut() -> B) -> (Duration, Duration) {
    let mut best = (Duration::MAX, Duration::MAX);
    for _ in 0..RUNS {
        let start = Instant::now();
        std::hint::black_box(one());
        best.0 = best.0.min(start.elapsed());
        let start = Instant::now();
        std::hint::black_box(many());
        best.1 = best.1.min(start.elapsed());
    }
    best
}

fn row(work: &str, (one, many): (Duration, Duration)) {
    println!(
        "| {work} | {:.3} s | {:.3} s | {:.2}x |",
        one.as_secs_f64(),
        many.as_secs_f64(),
        one.as_secs_f64() / many.as_secs_f64()
    );
}
