//! Measures the reference solution on this machine: the speed-up of each rayon
//! version over the sequential one and over the same work on Python threads under
//! one GIL, and Amdahl's law from a rayon pool of 1 thread against one of 2.
//!
//! ```text
//! cargo run -q --release -p sol07-parallelism-with-rayon --example bench
//! ```
//!
//! The Amdahl picture of the book comes from `examples/picture.rs`.
//!
//! A benchmark, not a check: it prints what it measured, busy machine or not, and
//! says how many cores were free before and after.

use std::hint::black_box;
use std::time::{Duration, Instant};

use parallelism_with_rayon::{
    GilThreads, Work, amdahl_speedup, hash_all, hash_all_sequential, histogram,
    histogram_sequential, parallel_fraction, sum_sequential, sum_with_join,
};

/// Interleaved rounds; every figure is the fastest of them.
const ROUNDS: usize = 7;

/// How long the sequential version takes, at least.
const RUN: Duration = Duration::from_millis(150);

/// The largest core count the Amdahl curve shows.
const CURVE_CORES: usize = 16;

fn main() {
    let cores = timing::available_cores();
    let free_before = timing::free_cores();
    let work = Work::new();
    let n = timing::size_work(RUN, |n| hash_all_sequential(&items(n as usize), &work)) as usize;
    let items = items(n);
    check_answers(&items, &work);
    let gil = GilThreads::calibrated(&work);
    let one = pool(1);
    let two = pool(2);

    let mut versions: Vec<Version<'_>> = vec![
        Version::new("sequential, 1 thread", || {
            black_box(hash_all_sequential(&items, &work));
        }),
        Version::new("par_iter map (hash_all)", || {
            black_box(hash_all(&items, &work));
        }),
        Version::new("rayon::join (sum_with_join)", || {
            black_box(sum_with_join(&items, &work));
        }),
        Version::new("fold + reduce (histogram)", || {
            black_box(histogram(&items, &work));
        }),
        Version::new("1 Python thread", || gil.run(items.len(), 1)),
        Version::new(format!("{cores} Python threads, one GIL"), || {
            gil.run(items.len(), cores)
        }),
        Version::new("hash_all, rayon pool of 1 thread", || {
            black_box(one.install(|| hash_all(&items, &work)));
        }),
        Version::new("hash_all, rayon pool of 2 threads", || {
            black_box(two.install(|| hash_all(&items, &work)));
        }),
    ];
    for _ in 0..ROUNDS {
        for version in &mut versions {
            version.run();
        }
    }
    let free_after = timing::free_cores();

    let fastest: Vec<Duration> = versions.iter().map(|v| v.fastest).collect();
    let [
        sequential,
        par_iter,
        join,
        reduce,
        gil_one,
        gil_threads,
        pool_one,
        pool_two,
    ] = fastest[..]
    else {
        unreachable!("eight versions are measured");
    };
    let speedup = |base: Duration, of: Duration| base.as_secs_f64() / of.as_secs_f64();

    println!(
        "chapter 07 bench: the reference solution, {} build",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    println!(
        "cores: {cores} available; free-core probe {free_before:.2} before, {free_after:.2} after \
         ({})",
        if free_before.min(free_after) >= 0.85 * cores as f64 {
            "the machine was quiet"
        } else {
            "the machine was busy: the speed-ups below are lower than on idle cores"
        }
    );
    println!(
        "work: {n} items of {} turns; each figure is the fastest of {ROUNDS} interleaved runs",
        work.turns_per_item()
    );
    println!(
        "the GIL threads: one item = {} turns of the model's Python loop (calibrated)",
        gil.turns_per_item()
    );
    println!();
    println!("| version | fastest run | speed-up over sequential |");
    println!("|---|---|---|");
    for version in &versions[..6] {
        println!(
            "| {} | {} | {:.2}x |",
            version.label,
            ms(version.fastest),
            speedup(sequential, version.fastest)
        );
    }
    println!();
    let over_gil = [par_iter, join, reduce].map(|t| format!("{:.2}x", speedup(gil_threads, t)));
    println!(
        "speed-up over {cores} Python threads under one GIL: par_iter {}, join {}, fold/reduce {}",
        over_gil[0], over_gil[1], over_gil[2]
    );
    println!(
        "{cores} Python threads took {:.2}x as long as 1 Python thread (CPython 3.11 on 2 cores: 1.0 to 1.2)",
        gil_threads.as_secs_f64() / gil_one.as_secs_f64()
    );

    let s = speedup(pool_one, pool_two);
    let p = parallel_fraction(s, 2);
    println!();
    println!(
        "Amdahl: hash_all on a rayon pool of 1 thread {}, of 2 threads {}: speed-up {s:.2}x, \
         so p = parallel_fraction({s:.2}, 2) = {p:.3}",
        ms(pool_one),
        ms(pool_two)
    );
    // Noise can put a measured speed-up a little outside 1x..2x, and p outside 0..1.
    let p_shown = p.clamp(0.0, 1.0);
    let curve: Vec<(usize, f64)> = (1..=CURVE_CORES)
        .map(|n| (n, amdahl_speedup(p_shown, n)))
        .collect();
    let shown: Vec<String> = curve
        .iter()
        .filter(|(n, _)| [1, 2, 4, 8, 16].contains(n))
        .map(|(n, s)| format!("{n}: {s:.2}x"))
        .collect();
    println!(
        "predicted S(n) = amdahl_speedup(p, n): {}",
        shown.join(", ")
    );
    if p <= 0.0 {
        println!("no parallel speed-up was measured: the prediction is flat");
    } else if p < 1.0 {
        println!(
            "ceiling on any number of cores: 1 / (1 - p) = {}x",
            round_for_show(1.0 / (1.0 - p))
        );
    }

}

/// One measured version: its label, its code and its fastest run so far.
struct Version<'a> {
    label: String,
    run: Box<dyn FnMut() + 'a>,
    fastest: Duration,
}

impl<'a> Version<'a> {
    fn new(label: impl Into<String>, run: impl FnMut() + 'a) -> Version<'a> {
        Version {
            label: label.into(),
            run: Box::new(run),
            fastest: Duration::MAX,
        }
    }

    fn run(&mut self) {
        let start = Instant::now();
        (self.run)();
        self.fastest = self.fastest.min(start.elapsed());
    }
}

/// `n` items, the same on every run.
fn items(n: usize) -> Vec<u64> {
    let mut rng = fastrand::Rng::with_seed(7);
    (0..n).map(|_| rng.u64(..)).collect()
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap_or_else(|err| panic!("could not start a rayon pool of {threads} threads: {err}"))
}

/// The rayon versions agree with the sequential ones (on a few items, to save time).
fn check_answers(items: &[u64], work: &Work) {
    let few = &items[..items.len().min(256)];
    assert_eq!(hash_all(few, work), hash_all_sequential(few, work));
    assert_eq!(sum_with_join(few, work), sum_sequential(few, work));
    assert_eq!(histogram(few, work), histogram_sequential(few, work));
}

/// One decimal below 10, none above: 1.4, 28, 107.
fn round_for_show(x: f64) -> String {
    if x < 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.0}")
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}
