//! Measures the chapter's two ways past the GIL on this machine, with the reference
//! solution: CPU-bound work on 2 threads under one GIL, on 2 interpreters sharing one
//! GIL and on 2 interpreters with a GIL each, against 1 thread; and how many updates
//! `counter += 1` loses on 2 threads with a GIL, without one, and without one but with a
//! lock.
//!
//! ```text
//! cargo xtask bench 13
//! ```
//!
//! A measurement, not a check: it prints what it measured, busy machine or not, and
//! says how many cores were free before and after.

use std::time::{Duration, Instant};

use beyond_the_gil::{
    CpuTask, Interpreter, Tracer, count_in_threads, own_gil_interpreters, run_on_interpreters,
    threads_under_one_gil,
};

/// Interleaved rounds; every time is the fastest of them.
const ROUNDS: usize = 7;

/// Runs of each counter race; the table shows the median.
const RACES: usize = 9;

/// Increments per thread in each counter race.
const PER_THREAD: i64 = 1_000_000;

/// A version of the CPU-bound work: its label and one run of it.
type Version<'a> = (&'static str, Box<dyn FnMut() + 'a>);

/// A counter race: its label, the interpreter it runs on, and whether it takes the lock.
type Race = (&'static str, fn() -> Interpreter, bool);

fn main() {
    wait_for_free_cores();
    let free_before = timing::free_cores();
    // About 200 ms of Python for one thread: the total work of every version.
    let work = 2 * timing::size_work(Duration::from_millis(100), |n| {
        Interpreter::new().run("sizing", |py| py.cpu_work(n))
    });
    let task = CpuTask::new();
    let mut versions: Vec<Version<'_>> = vec![
        (
            "1 thread",
            Box::new(|| {
                threads_under_one_gil(&Interpreter::new(), 1, work, &task);
            }),
        ),
        (
            "2 threads, one GIL",
            Box::new(|| {
                threads_under_one_gil(&Interpreter::new(), 2, work, &task);
            }),
        ),
        (
            "2 interpreters, one shared GIL",
            Box::new(|| {
                let main = Interpreter::new();
                let sub = Interpreter::builder().share_gil_with(&main).build();
                run_on_interpreters(&[main, sub], work, &task);
            }),
        ),
        (
            "2 interpreters, a GIL each",
            Box::new(|| {
                run_on_interpreters(&own_gil_interpreters(2, &Tracer::new()), work, &task);
            }),
        ),
    ];
    let mut best = vec![Duration::MAX; versions.len()];
    for _ in 0..ROUNDS {
        for (i, (_, run)) in versions.iter_mut().enumerate() {
            let start = Instant::now();
            run();
            best[i] = best[i].min(start.elapsed());
        }
    }
    println!("CPU-bound Python, {work} turns in all (fastest of {ROUNDS} interleaved rounds)");
    println!();
    println!("| version | time | speed-up over 1 thread |");
    println!("|---|---|---|");
    for ((label, _), time) in versions.iter().zip(&best) {
        println!(
            "| {label} | {:.0} ms | {:.2}x |",
            time.as_secs_f64() * 1e3,
            best[0].as_secs_f64() / time.as_secs_f64()
        );
    }
    drop(versions);

    println!();
    println!("`counter += 1` on 2 threads, {PER_THREAD} times each (median of {RACES} runs)");
    println!();
    println!("| interpreter | lost updates | time |");
    println!("|---|---|---|");
    let rows: [Race; 3] = [
        ("with a GIL, no lock", Interpreter::new, false),
        (
            "free-threaded, no lock",
            || Interpreter::builder().free_threaded().build(),
            false,
        ),
        (
            "free-threaded, `with lock:`",
            || Interpreter::builder().free_threaded().build(),
            true,
        ),
    ];
    for (label, build, with_lock) in rows {
        let mut lost = Vec::new();
        let mut times = Vec::new();
        for _ in 0..RACES {
            let interp = build();
            let start = Instant::now();
            let result = count_in_threads(&interp, 2, PER_THREAD, with_lock)
                .expect("the counter program runs");
            times.push(start.elapsed());
            lost.push(result.lost_fraction());
        }
        lost.sort_by(f64::total_cmp);
        times.sort();
        println!(
            "| {label} | {:.1}% (from {:.1}% to {:.1}%) | {:.0} ms |",
            lost[RACES / 2] * 100.0,
            lost[0] * 100.0,
            lost[RACES - 1] * 100.0,
            times[RACES / 2].as_secs_f64() * 1e3
        );
    }
    println!();
    println!(
        "free cores: {free_before:.2} before, {:.2} after (of {})",
        timing::free_cores(),
        timing::available_cores()
    );
}

/// Waits (up to about 30 s) until two cores are free, so the table shows the model
/// rather than a neighbour; measures anyway after that, and says so in its last line.
fn wait_for_free_cores() {
    for _ in 0..60 {
        if timing::free_cores_among(2) >= 1.7 {
            return;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}
