//! `timing-noise`: how far the timing crate's minimums can be wrong on this machine, so
//! that the stopping rule of `timing::compare` states its error rates from measurements.
//!
//! It times the same CPU work twice per pair, interleaved, as a comparison does, many
//! times, and reports how often the ratio of the two versions' minimums (which should be
//! 1.0) reaches 1.1, 1.2 and 1.5 when each minimum is taken over 2 pairs (the earliest a
//! comparison may stop) and over 6 (its default most). A claim stops early only when
//! met 10% past its factor, so the first column is the chance that noise alone ends a
//! close comparison on the wrong side; the others, how far it could push.
//!
//! `cargo run -q --release -p course-tools --bin timing-noise -- [--pairs 600] [--run-ms 30]`
//! Run it on a quiet machine, then beside `yes > /dev/null` on one core.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

fn work(n: u64) -> u64 {
    let mut x = n;
    for i in 0..n {
        x = std::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(i));
    }
    x
}

fn main() -> Result<()> {
    let mut pairs = 600usize;
    let mut run_ms = 30u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().with_context(|| format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--pairs" => pairs = value.parse().context("--pairs takes a whole number")?,
            "--run-ms" => run_ms = value.parse().context("--run-ms takes a whole number of milliseconds")?,
            other => bail!("unknown argument {other}; usage: timing-noise [--pairs N] [--run-ms MS]"),
        }
    }
    let free = timing::free_cores();
    let n = timing::size_work(Duration::from_millis(run_ms), work);
    let time = |n| {
        let start = Instant::now();
        std::hint::black_box(work(n));
        start.elapsed()
    };
    let (mut a, mut b) = (Vec::with_capacity(pairs), Vec::with_capacity(pairs));
    for _ in 0..pairs {
        a.push(time(n));
        b.push(time(n));
    }
    let free_after = timing::free_cores();
    println!(
        "{pairs} pairs of equal work of about {run_ms} ms on {} cores ({free:.2} free before, {free_after:.2} after)",
        timing::available_cores()
    );
    println!("| minimum over | ratio >= 1.1 | >= 1.2 | >= 1.5 | median ratio |");
    println!("|---|---|---|---|---|");
    for k in [2usize, 6] {
        let ratios: Vec<f64> = a
            .chunks_exact(k)
            .zip(b.chunks_exact(k))
            .flat_map(|(x, y)| {
                let (mx, my) = (x.iter().min().copied().unwrap_or_default(), y.iter().min().copied().unwrap_or_default());
                // Both directions: either version may be the one a neighbour slowed.
                [timing::stats::ratio(mx, my), timing::stats::ratio(my, mx)]
            })
            .collect();
        let share = |t: f64| ratios.iter().filter(|&&r| r >= t).count() as f64 / ratios.len().max(1) as f64;
        println!(
            "| {k} pairs ({} samples) | {:.2}% | {:.2}% | {:.2}% | {:.3} |",
            ratios.len(),
            share(1.1) * 100.0,
            share(1.2) * 100.0,
            share(1.5) * 100.0,
            timing::stats::median(&ratios)
        );
    }
    Ok(())
}
