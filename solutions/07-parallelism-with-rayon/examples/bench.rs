//! Measures the reference solution on this machine: the speed-up of each rayon
//! version over the sequential one and over the same work on Python threads under
//! one GIL, and Amdahl's law from a rayon pool of 1 thread against one of 2.
//!
//! ```text
//! cargo run -q --release -p sol07-parallelism-with-rayon --example bench
//! cargo run -q --release -p sol07-parallelism-with-rayon --example bench -- --svg src/img/07-amdahl.svg
//! ```
//!
//! A benchmark, not a check: it prints what it measured, busy machine or not, and
//! says how many cores were free before and after.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;
use std::process::ExitCode;
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

const USAGE: &str = "usage: bench [--svg PATH]\n  \
    --svg PATH  also draw the Amdahl curve of this run as an SVG picture at PATH";

fn main() -> ExitCode {
    let svg = match parse_args(std::env::args().skip(1)) {
        Ok(svg) => svg,
        Err(message) => {
            eprintln!("bench: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
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

    if let Some(path) = svg {
        let picture = amdahl_svg(s, p, &curve, cores, free_before.min(free_after));
        if let Err(err) = std::fs::write(&path, picture) {
            eprintln!("bench: could not write {}: {err}", path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {}", path.display());
    }
    ExitCode::SUCCESS
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<PathBuf>, String> {
    let mut svg = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--svg" => match args.next() {
                Some(path) => svg = Some(PathBuf::from(path)),
                None => return Err("--svg needs a path".into()),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(svg)
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

// ---------------------------------------------------------------------------
// The picture
// ---------------------------------------------------------------------------

const WIDTH: f64 = 700.0;
const HEIGHT: f64 = 350.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 560.0;
const TOP: f64 = 96.0;
const BOTTOM: f64 = 296.0;
const INK: &str = "#1f2328";
const MUTED: &str = "#57606a";
const GRID: &str = "#dde3e8";
const CURVE: &str = "#0072b2";
const MEASURED: &str = "#d55e00";
const FONT: &str = r#"font-family="sans-serif" font-size="12""#;

/// Parallel fractions drawn beside the measured one, for comparison.
const COMPARED: [f64; 2] = [0.9, 0.5];

/// The predicted curve S(n) for n = 1..=16 from the measured `p`, the ideal S = n,
/// two curves for comparison and the two measured points, on a background of its
/// own so it reads the same in a light or a dark theme.
fn amdahl_svg(s: f64, p: f64, curve: &[(usize, f64)], cores: usize, free: f64) -> String {
    let n_max = curve.len();
    let max_n = n_max as f64;
    let x = |n: f64| LEFT + (n - 1.0) / (max_n - 1.0) * (RIGHT - LEFT);
    let y = |speedup: f64| BOTTOM - speedup / max_n * (BOTTOM - TOP);
    let last = curve.last().map_or(1.0, |&(_, s)| s);
    let ceiling = (p > 0.0 && p < 1.0).then(|| 1.0 / (1.0 - p));
    let noise = match p {
        p if p > 1.0 => " (over 1 is measurement noise: drawn as 1)",
        p if p < 0.0 => " (below 0 is measurement noise: drawn as 0)",
        _ => "",
    };
    let ceiling_note = match ceiling {
        Some(c) if c < 100.0 => format!("; ceiling 1 / (1 − p) = {}x", round_for_show(c)),
        Some(_) => "; ceiling 1 / (1 − p) above 100x".to_string(),
        None => String::new(),
    };
    let title = "Amdahl's law from a measured speed-up";
    let desc = format!(
        "Speed-up S(n) = 1 / ((1 - p) + p/n) predicted for 1 to {n_max} cores from p = {p:.3}{noise}, \
         the parallel fraction implied by the speed-up measured with the course's rayon solution: \
         {s:.2}x with a rayon pool of 2 threads over a pool of 1, on a {cores}-core machine \
         ({free:.2} cores free). The prediction reaches {last:.1}x on {n_max} cores{}. For \
         comparison, the ideal S = n is drawn dashed, and thin grey curves show p = 0.9 \
         ({:.1}x on {n_max} cores) and p = 0.5 ({:.1}x).",
        ceiling_note.replace('−', "-"),
        amdahl_speedup(0.9, n_max),
        amdahl_speedup(0.5, n_max),
    );

    let mut svg = String::new();
    let mut line = |text: String| {
        svg.push_str(&text);
        svg.push('\n');
    };
    line(format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="amdahl-title amdahl-desc">"#
    ));
    line(format!(
        r#"<title id="amdahl-title">{}</title>"#,
        escape(title)
    ));
    line(format!(
        r#"<desc id="amdahl-desc">{}</desc>"#,
        escape(&desc)
    ));
    line(format!(
        r##"<rect x="0.5" y="0.5" width="{}" height="{}" rx="6" fill="#ffffff" stroke="#d0d7de"/>"##,
        WIDTH - 1.0,
        HEIGHT - 1.0
    ));
    line(format!(
        r#"<text x="16" y="28" font-family="sans-serif" font-size="16" font-weight="bold" fill="{INK}">{}</text>"#,
        escape(title)
    ));
    line(format!(
        r#"<text x="16" y="50" font-family="sans-serif" font-size="13" fill="{MUTED}">measured {s:.2}x on 2 threads, so p = {p:.3}{noise}{}</text>"#,
        escape(&ceiling_note)
    ));
    // Legend, above the plot.
    line(format!(
        r#"<g {FONT} fill="{INK}"><circle cx="22" cy="70" r="5" fill="{MEASURED}"/><text x="32" y="74">measured (rayon pools of 1 and 2 threads)</text><line x1="300" y1="70" x2="318" y2="70" stroke="{CURVE}" stroke-width="2.5"/><text x="324" y="74">predicted from p: S(n) = 1 / ((1 − p) + p/n)</text></g>"#
    ));

    // Grid and axes.
    let mut grid = String::from(r#"<g stroke-width="1">"#);
    let mut labels = format!(r#"<g {FONT} fill="{MUTED}">"#);
    for tick in (0..=n_max).step_by(4) {
        let ty = y(tick as f64);
        let _ = write!(
            grid,
            r#"<line x1="{LEFT}" y1="{ty:.1}" x2="{RIGHT}" y2="{ty:.1}" stroke="{GRID}"/>"#
        );
        let _ = write!(
            labels,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{tick}x</text>"#,
            LEFT - 8.0,
            ty + 4.0
        );
    }
    for n in 1..=n_max {
        let tx = x(n as f64);
        let _ = write!(
            grid,
            r#"<line x1="{tx:.1}" y1="{BOTTOM}" x2="{tx:.1}" y2="{:.1}" stroke="{MUTED}"/>"#,
            BOTTOM + 4.0
        );
        let _ = write!(
            labels,
            r#"<text x="{tx:.1}" y="{:.1}" text-anchor="middle">{n}</text>"#,
            BOTTOM + 18.0
        );
    }
    let _ = write!(
        grid,
        r#"<line x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT}" y2="{BOTTOM}" stroke="{MUTED}"/>"#
    );
    let _ = write!(
        labels,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">cores (n)</text>"#,
        (LEFT + RIGHT) / 2.0,
        BOTTOM + 38.0
    );
    let mid = (TOP + BOTTOM) / 2.0;
    let _ = write!(
        labels,
        r#"<text x="22" y="{mid:.1}" text-anchor="middle" transform="rotate(-90 22 {mid:.1})">speed-up S(n)</text>"#
    );
    grid.push_str("</g>");
    labels.push_str("</g>");
    line(grid);
    line(labels);

    // The ideal, the curves for comparison, the ceiling, the prediction.
    line(format!(
        r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="6 5"><title>ideal: S = n</title></line>"#,
        x(1.0),
        y(1.0),
        x(max_n),
        y(max_n)
    ));
    for q in COMPARED {
        let points: Vec<String> = (1..=n_max)
            .map(|n| format!("{:.1},{:.1}", x(n as f64), y(amdahl_speedup(q, n))))
            .collect();
        line(format!(
            r#"<polyline points="{}" fill="none" stroke="{MUTED}" stroke-width="1.25"><title>for comparison: p = {q}</title></polyline>"#,
            points.join(" ")
        ));
    }
    if let Some(c) = ceiling.filter(|&c| c <= max_n) {
        line(format!(
            r#"<line x1="{LEFT}" y1="{:.1}" x2="{RIGHT}" y2="{:.1}" stroke="{CURVE}" stroke-width="1" stroke-dasharray="2 4"><title>ceiling: 1 / (1 - p) = {c:.1}x</title></line>"#,
            y(c),
            y(c)
        ));
    }
    let points: Vec<String> = curve
        .iter()
        .map(|&(n, s)| format!("{:.1},{:.1}", x(n as f64), y(s)))
        .collect();
    line(format!(
        r#"<polyline points="{}" fill="none" stroke="{CURVE}" stroke-width="2.5"/>"#,
        points.join(" ")
    ));
    let mut dots = format!(r#"<g fill="{CURVE}">"#);
    for &(n, s) in curve {
        let _ = write!(
            dots,
            r#"<circle cx="{:.1}" cy="{:.1}" r="3"><title>predicted: {n} cores, {s:.2}x</title></circle>"#,
            x(n as f64),
            y(s)
        );
    }
    dots.push_str("</g>");
    line(dots);

    // The two measured points: 1 thread is 1x by definition, 2 threads is `s`.
    for (n, speedup, what) in [
        (1.0, 1.0, "1 thread: the baseline, 1x"),
        (2.0, s, "2 threads"),
    ] {
        line(format!(
            r##"<circle cx="{:.1}" cy="{:.1}" r="6" fill="{MEASURED}" stroke="#ffffff" stroke-width="1.5"><title>measured, {what}: {speedup:.2}x</title></circle>"##,
            x(n),
            y(speedup)
        ));
    }
    line(format!(
        r#"<text x="{:.1}" y="{:.1}" {FONT} fill="{MEASURED}">measured: {s:.2}x on 2 threads</text>"#,
        x(2.0) + 10.0,
        y(s) + 20.0
    ));

    // Every curve named at its right end, the names pushed apart where they would meet.
    let mut ends = vec![
        (max_n, "ideal, S = n".to_string(), MUTED),
        (
            last,
            format!("p = {:.3}: {last:.1}x", p.clamp(0.0, 1.0)),
            CURVE,
        ),
    ];
    for q in COMPARED {
        let end = amdahl_speedup(q, n_max);
        ends.push((end, format!("p = {q}: {end:.1}x"), MUTED));
    }
    ends.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut next_free = f64::MIN;
    let mut names = format!(r#"<g {FONT}>"#);
    for (end, name, colour) in ends {
        let ty = (y(end) + 4.0).max(next_free);
        next_free = ty + 15.0;
        let _ = write!(
            names,
            r#"<text x="{:.1}" y="{ty:.1}" fill="{colour}">{}</text>"#,
            RIGHT + 8.0,
            escape(&name)
        );
    }
    names.push_str("</g>");
    line(names);
    line("</svg>".to_string());
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&#39;")
}
