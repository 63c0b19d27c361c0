//! Draws the book's Amdahl picture from a real run: `hash_all` on a rayon pool of 1
//! thread and of 2, the parallel fraction p that speed-up implies, and the speed-up
//! Amdahl's law predicts from p for 1 to 16 cores (drawn with `timeline::Chart`).
//!
//! ```text
//! cargo run -q --release -p sol07-parallelism-with-rayon --example picture -- --out src/img
//! ```

use std::time::{Duration, Instant};

use parallelism_with_rayon::{Work, amdahl_speedup, hash_all, hash_all_sequential, parallel_fraction};
use timeline::{Chart, Curve, Emphasis, LegendMark};

/// Interleaved rounds; each pool's figure is its fastest.
const ROUNDS: usize = 7;
/// How long the sequential version takes, at least.
const RUN: Duration = Duration::from_millis(150);
/// The largest core count the curve shows.
const CORES: usize = 16;
/// Parallel fractions drawn beside the measured one, for comparison.
const COMPARED: [f64; 2] = [0.9, 0.5];

fn main() -> std::process::ExitCode {
    timeline::picture_main(|out| {
        let (s, free) = measure();
        let svg = amdahl_chart(s, free).to_svg();
        std::fs::write(out.join("07-amdahl.svg"), svg)?;
        println!("07-amdahl.svg: rayon pool of 2 threads over 1: {s:.2}x, p = {:.3} ({free:.2} cores free)", parallel_fraction(s, 2));
        Ok(())
    })
}

/// The speed-up of a rayon pool of 2 threads over a pool of 1 on `hash_all`, the fastest
/// of interleaved rounds each, and the fewest free cores seen around the runs.
fn measure() -> (f64, f64) {
    let free_before = timing::free_cores();
    let work = Work::new();
    let n = timing::size_work(RUN, |n| hash_all_sequential(&items(n as usize), &work)) as usize;
    let items = items(n);
    let pools = [pool(1), pool(2)];
    let mut fastest = [Duration::MAX; 2];
    for _ in 0..ROUNDS {
        for (pool, best) in pools.iter().zip(&mut fastest) {
            let start = Instant::now();
            std::hint::black_box(pool.install(|| hash_all(&items, &work)));
            *best = (*best).min(start.elapsed());
        }
    }
    let free = free_before.min(timing::free_cores());
    (timing::stats::ratio(fastest[0], fastest[1]), free)
}

/// The predicted curve S(n) for n = 1..=16 from the measured speed-up, the ideal
/// S = n, two curves for comparison and the two measured points.
fn amdahl_chart(s: f64, free: f64) -> Chart {
    let p = parallel_fraction(s, 2);
    // Noise can put a measured speed-up a little outside 1x..2x, and p outside 0..1.
    let shown = p.clamp(0.0, 1.0);
    let curve = |q: f64| (1..=CORES).map(|n| (n as f64, amdahl_speedup(q, n))).collect::<Vec<_>>();
    let last = amdahl_speedup(shown, CORES);
    let ceiling = (p > 0.0 && p < 1.0).then(|| 1.0 / (1.0 - p));
    let noise = match p {
        p if p > 1.0 => " (over 1 is measurement noise: drawn as 1)",
        p if p < 0.0 => " (below 0 is measurement noise: drawn as 0)",
        _ => "",
    };
    let ceiling_note = match ceiling {
        Some(c) if c < 100.0 => format!("; ceiling 1 / (1 - p) = {}x", round_for_show(c)),
        Some(_) => "; ceiling 1 / (1 - p) above 100x".to_string(),
        None => String::new(),
    };
    let cores = timing::available_cores();
    let mut chart = Chart::new("Amdahl's law from a measured speed-up", CORES)
        .subtitle(format!("measured {s:.2}x on 2 threads, so p = {p:.3}{noise}{ceiling_note}"))
        .description(format!(
            "Speed-up S(n) = 1 / ((1 - p) + p/n) predicted for 1 to {CORES} cores from p = {p:.3}{noise}, the \
             parallel fraction implied by the speed-up measured with the course's rayon solution: {s:.2}x with a \
             rayon pool of 2 threads over a pool of 1, on a {cores}-core machine ({free:.2} cores free). The \
             prediction reaches {last:.1}x on {CORES} cores{ceiling_note}. For comparison, the ideal S = n is drawn \
             dashed, and thin grey curves show p = 0.9 ({:.1}x on {CORES} cores) and p = 0.5 ({:.1}x).",
            amdahl_speedup(0.9, CORES),
            amdahl_speedup(0.5, CORES),
        ))
        .axes("cores (n)", "speed-up S(n)")
        .legend(LegendMark::Measured, "measured (rayon pools of 1 and 2 threads)")
        .legend(LegendMark::Line, "predicted from p: S(n) = 1 / ((1 - p) + p/n)")
        .curve(Curve {
            name: "ideal, S = n".into(),
            points: vec![(1.0, 1.0), (CORES as f64, CORES as f64)],
            emphasis: Emphasis::Reference,
        });
    for q in COMPARED {
        chart = chart.curve(Curve {
            name: format!("p = {q}: {:.1}x", amdahl_speedup(q, CORES)),
            points: curve(q),
            emphasis: Emphasis::Comparison,
        });
    }
    if let Some(c) = ceiling {
        chart = chart.rule(c, format!("ceiling: 1 / (1 - p) = {c:.1}x"));
    }
    chart
        .curve(Curve { name: format!("p = {shown:.3}: {last:.1}x"), points: curve(shown), emphasis: Emphasis::Main })
        .measured(1.0, 1.0, "measured, 1 thread: the baseline, 1x")
        .measured(2.0, s, format!("measured, 2 threads: {s:.2}x"))
        .measured_note(format!("measured: {s:.2}x on 2 threads"))
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

/// One decimal below 10, none above: 1.4, 28, 107.
fn round_for_show(x: f64) -> String {
    if x < 10.0 { format!("{x:.1}") } else { format!("{x:.0}") }
}
