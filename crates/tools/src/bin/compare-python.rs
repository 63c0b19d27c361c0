//! `compare-python`: runs the same workloads in CPython (`python3`, the programs in the
//! course's `src/python/`) and in the model, and prints both columns side by side with the
//! figures measured for the course design (CPython 3.11, 2 cores).
//!
//! Without `python3` it says so and prints the model's column alone.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use python_model::{DEFAULT_SWITCH_INTERVAL, Interpreter, Program, workloads};
use timing::free_cores;
use timing::stats::{mean, median, ratio};
use serde::Serialize;
use serde_json::{Value, json};

/// Runs the GIL workloads in python3 and in the model, and prints them side by side.
#[derive(Parser)]
#[command(name = "compare-python")]
struct Cli {
    /// Print the results as JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// The Python interpreter to run.
    #[arg(long, default_value = "python3")]
    python: String,
    /// Rounds per timed workload; each side keeps its fastest round.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Skip CPython and print the model's column only.
    #[arg(long)]
    model_only: bool,
    /// Only these rows (comma-separated): cpu-threads, cpu-processes, sleeps, convoy,
    /// switch-interval, counter-in-place, counter-with-call.
    #[arg(long, value_delimiter = ',')]
    rows: Vec<String>,
    /// How long the echo server of the convoy row works on each reply, in microseconds
    /// ("tiny round trips": about 20 µs of server time).
    #[arg(long, default_value_t = 20)]
    server_think_us: u64,
    #[command(subcommand)]
    child: Option<ChildRole>,
}

/// What a re-executed copy of this binary does (as `multiprocessing`'s spawn start method
/// re-runs the interpreter): not for people.
#[derive(Subcommand)]
enum ChildRole {
    /// Run one CPU-bound task on a fresh interpreter with its own GIL, then exit.
    #[command(hide = true)]
    ChildCpuTask { iterations: u64 },
    /// Echo every byte from stdin to stdout after `think_us` microseconds of work.
    #[command(hide = true)]
    ChildEchoServer { think_us: u64 },
}

/// Loop sizes, the same in CPython and in the model (a turn costs about the same in both).
const CPU_ITERATIONS: u64 = 3_000_000;
const SWITCH_ITERATIONS: u64 = 2_000_000;
const SLEEPS: usize = 20;
const SLEEP: Duration = Duration::from_millis(100);
const TRIPS_WARMUP: usize = 50;
const TRIPS_ALONE: usize = 500;
const TRIPS_BESIDE: usize = 100;
const COUNTER_ITERATIONS: i64 = 1_000_000;
const COUNTER_RUNS: usize = 5;
const SHORT_INTERVAL: Duration = Duration::from_micros(100);
const LONG_INTERVAL: Duration = Duration::from_millis(50);

fn main() {
    let cli = Cli::parse();
    for key in &cli.rows {
        if !ROWS.iter().any(|(k, _)| k == key) {
            let known: Vec<&str> = ROWS.iter().map(|(k, _)| *k).collect();
            eprintln!(
                "compare-python: there is no row {key:?}; the rows are {}",
                known.join(", ")
            );
            std::process::exit(2);
        }
    }
    let outcome = match cli.child {
        Some(ChildRole::ChildCpuTask { iterations }) => child_cpu_task(iterations),
        Some(ChildRole::ChildEchoServer { think_us }) => {
            child_echo_server(Duration::from_micros(think_us))
        }
        None => compare(&cli),
    };
    if let Err(e) = outcome {
        eprintln!("compare-python: {e:#}");
        std::process::exit(1);
    }
}

fn child_cpu_task(iterations: u64) -> Result<()> {
    let result = Interpreter::new().run("main", |py| py.cpu_work(iterations));
    println!("{result}");
    Ok(())
}

fn child_echo_server(think: Duration) -> Result<()> {
    let mut input = std::io::stdin().lock();
    let mut output = std::io::stdout().lock();
    let mut buf = [0u8; 64];
    loop {
        let n = input
            .read(&mut buf)
            .context("the echo server could not read stdin")?;
        if n == 0 {
            return Ok(());
        }
        // The server's own work on the reply, on its own core (as convoy.py's server).
        let start = Instant::now();
        while start.elapsed() < think {
            std::hint::spin_loop();
        }
        output
            .write_all(&buf[..n])
            .context("the echo server could not write stdout")?;
        output
            .flush()
            .context("the echo server could not flush stdout")?;
    }
}

/// One measured cell: what a person reads, the numbers behind it, and whether they fall
/// inside the expected band.
#[derive(Serialize)]
struct Cell {
    text: String,
    values: Value,
    in_band: Option<bool>,
}

impl Cell {
    fn new(text: String, in_band: bool, values: Value) -> Cell {
        let mark = if in_band { "✓" } else { "✗" };
        Cell {
            text: format!("{text} {mark}"),
            values,
            in_band: Some(in_band),
        }
    }
}

fn or_failed(result: Result<Cell>) -> Cell {
    result.unwrap_or_else(|e| Cell {
        text: format!("failed: {e:#}"),
        values: Value::Null,
        in_band: None,
    })
}

/// What a row is about: its key for `--rows`, its words, the course's figure for it.
#[derive(Clone, Copy, Serialize)]
struct About {
    key: &'static str,
    workload: &'static str,
    cpython_3_11: &'static str,
}

#[derive(Serialize)]
struct Row {
    #[serde(flatten)]
    about: About,
    band: String,
    python: Option<Cell>,
    model: Cell,
}

/// The course's figure for a row, widened by the ±20% noise it was measured with.
#[derive(Clone, Copy)]
struct Band {
    low: f64,
    high: f64,
}

impl Band {
    fn around(low: f64, high: f64) -> Band {
        Band {
            low: low * 0.8,
            high: high * 1.2,
        }
    }
    fn contains(self, x: f64) -> bool {
        (self.low..=self.high).contains(&x)
    }
    fn describe(self) -> String {
        format!("{:.2} to {:.2}", self.low, self.high)
    }
}

#[derive(Clone)]
struct Python {
    program: String,
    version: String,
    folder: PathBuf,
}

impl Python {
    fn find(program: &str) -> Result<Python> {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src/python");
        let folder = folder.canonicalize().with_context(|| {
            format!(
                "the Python programs are missing: no folder {}",
                folder.display()
            )
        })?;
        let out = Command::new(program)
            .args(["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"])
            .output()
            .with_context(|| format!("could not run {program:?}"))?;
        if !out.status.success() {
            bail!(
                "{program} -c 'import sys' failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(Python {
            program: program.to_string(),
            version: String::from_utf8_lossy(&out.stdout).trim().to_string(),
            folder,
        })
    }

    /// Runs `script` with `--json` and `args`; its last line of output is the result.
    fn run(&self, script: &str, args: &[String]) -> Result<Value> {
        let path = self.folder.join(script);
        let out = Command::new(&self.program)
            .arg("-B") // no __pycache__ in the book's source folder
            .arg(&path)
            .arg("--json")
            .args(args)
            .output()
            .with_context(|| format!("could not run {} {}", self.program, path.display()))?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            bail!(
                "{} {script} failed: {}",
                self.program,
                stderr.lines().last().unwrap_or("no message")
            );
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        let line = stdout.lines().last().unwrap_or_default();
        serde_json::from_str(line)
            .with_context(|| format!("{script} printed {line:?}, not a JSON line"))
    }

    fn older_than(&self, major: u32, minor: u32) -> bool {
        let mut parts = self
            .version
            .split('.')
            .map(|p| p.parse::<u32>().unwrap_or(0));
        (parts.next().unwrap_or(0), parts.next().unwrap_or(0)) < (major, minor)
    }
}

/// Everything a row needs.
#[derive(Clone)]
struct Ctx {
    python: Option<Python>,
    /// The Python asked for, found or not.
    python_program: String,
    runs: usize,
    exe: PathBuf,
    think: Duration,
}

impl Ctx {
    /// Runs a Python program of the comparison (`None` without python3), always passing
    /// `--runs` first so that `args` can override it.
    fn python(&self, script: &str, args: &[String]) -> Option<Result<Value>> {
        self.python.as_ref().map(|p| {
            let mut all = vec!["--runs".to_string(), self.runs.to_string()];
            all.extend_from_slice(args);
            p.run(script, &all)
        })
    }

    /// The fastest of `runs` interleaved rounds of `a` and of `b`.
    fn best_of_two(
        &self,
        mut a: impl FnMut() -> Result<Duration>,
        mut b: impl FnMut() -> Result<Duration>,
    ) -> Result<(Duration, Duration)> {
        let (mut best_a, mut best_b) = (Duration::MAX, Duration::MAX);
        for _ in 0..self.runs.max(1) {
            best_a = best_a.min(a()?);
            best_b = best_b.min(b()?);
        }
        Ok((best_a, best_b))
    }
}

fn number(v: &Value, key: &str) -> Result<f64> {
    v.get(key)
        .and_then(Value::as_f64)
        .with_context(|| format!("the result has no number {key:?}: {v}"))
}

fn time_text(seconds: f64) -> String {
    if seconds >= 1e-3 {
        format!("{:.1} ms", seconds * 1e3)
    } else {
        format!("{:.0} µs", seconds * 1e6)
    }
}

/// A "threads (or processes) / sequential" row: CPython's ratio from `script`, the model's
/// from `sequential` and `parallel`.
fn ratio_row(
    ctx: &Ctx,
    about: About,
    band: Band,
    python: (&str, &[String]),
    sequential: impl FnMut() -> Result<Duration>,
    parallel: impl FnMut() -> Result<Duration>,
) -> Row {
    let judge = |v: Value| -> Result<Cell> {
        let r = number(&v, "ratio")?;
        Ok(Cell::new(format!("{r:.2}"), band.contains(r), v))
    };
    let python_cell = ctx
        .python(python.0, python.1)
        .map(|r| or_failed(r.and_then(judge)));
    let model = or_failed(ctx.best_of_two(sequential, parallel).and_then(|(seq, par)| {
        judge(json!({"sequential_s": seq.as_secs_f64(), "parallel_s": par.as_secs_f64(), "ratio": ratio(par, seq)}))
    }));
    Row {
        about,
        band: band.describe(),
        python: python_cell,
        model,
    }
}

fn cpu_threads_row(ctx: &Ctx) -> Row {
    let interp = Interpreter::new();
    ratio_row(
        ctx,
        About {
            key: "cpu-threads",
            workload: "2 CPU-bound tasks: 2 threads / sequential",
            cpython_3_11: "1.0 to 1.2",
        },
        Band::around(1.0, 1.2),
        (
            "cpu_threads.py",
            &["--iterations".into(), CPU_ITERATIONS.to_string()],
        ),
        || Ok(workloads::cpu_tasks_sequential(&interp, 2, CPU_ITERATIONS)),
        || Ok(workloads::cpu_tasks_threads(&interp, 2, CPU_ITERATIONS)),
    )
}

fn cpu_processes_row(ctx: &Ctx) -> Row {
    let interp = Interpreter::new();
    ratio_row(
        ctx,
        About {
            key: "cpu-processes",
            workload: "2 CPU-bound tasks: 2 processes / sequential",
            cpython_3_11: "about 0.56",
        },
        Band::around(0.56, 0.56),
        (
            "cpu_processes.py",
            &["--iterations".into(), CPU_ITERATIONS.to_string()],
        ),
        || Ok(workloads::cpu_tasks_sequential(&interp, 2, CPU_ITERATIONS)),
        || {
            let start = Instant::now();
            cpu_tasks_processes(&ctx.exe, 2, CPU_ITERATIONS)?;
            Ok(start.elapsed())
        },
    )
}

fn sleeps_row(ctx: &Ctx) -> Row {
    let interp = Interpreter::new();
    // Sleeping is hardly noisy: one round is enough, on both sides.
    let one_round = Ctx {
        runs: 1,
        ..ctx.clone()
    };
    ratio_row(
        &one_round,
        About {
            key: "sleeps",
            workload: "20 blocking waits of 0.1 s: 20 threads / sequential",
            cpython_3_11: "about 0.05",
        },
        Band::around(0.05, 0.05),
        ("sleep_threads.py", &[]),
        || Ok(workloads::sleeps_sequential(&interp, SLEEPS, SLEEP)),
        || Ok(workloads::sleeps_threads(&interp, SLEEPS, SLEEP)),
    )
}

/// In band when a round trip beside the CPU-bound thread costs at least half a switch
/// interval ("grows to about one switch interval").
fn convoy_cell(alone_mean: f64, beside_mean: f64, values: Value) -> Cell {
    let growth = beside_mean / alone_mean;
    Cell::new(
        format!(
            "{} → {} ({growth:.0}x)",
            time_text(alone_mean),
            time_text(beside_mean)
        ),
        beside_mean >= 0.5 * DEFAULT_SWITCH_INTERVAL.as_secs_f64(),
        values,
    )
}

fn convoy_row(ctx: &Ctx) -> Row {
    let python_cell = ctx
        .python(
            "convoy.py",
            &[
                "--alone".into(),
                TRIPS_ALONE.to_string(),
                "--beside".into(),
                TRIPS_BESIDE.to_string(),
                "--think".into(),
                ctx.think.as_secs_f64().to_string(),
            ],
        )
        .map(|r| {
            or_failed(r.and_then(|v| {
                Ok(convoy_cell(
                    number(&v, "alone_mean_s")?,
                    number(&v, "beside_mean_s")?,
                    v,
                ))
            }))
        });
    let model = or_failed((|| {
        // As convoy.py: warm up alone, then measure alone, then beside the CPU-bound thread.
        let alone = convoy_round_trips(ctx, TRIPS_WARMUP, TRIPS_ALONE, false)?;
        let beside = convoy_round_trips(ctx, 0, TRIPS_BESIDE, true)?;
        let (alone_mean, beside_mean) = (mean(&alone), mean(&beside));
        Ok(convoy_cell(
            alone_mean,
            beside_mean,
            json!({"alone_mean_s": alone_mean, "beside_mean_s": beside_mean,
                   "alone_median_s": median(&alone), "beside_median_s": median(&beside)}),
        ))
    })());
    Row {
        about: About {
            key: "convoy",
            workload: "I/O round trips, alone → beside a CPU-bound thread (mean)",
            cpython_3_11: "~20 µs → ~5 ms (100x+)",
        },
        band: format!(
            "beside ≥ {} (half a switch interval)",
            time_text(0.5 * DEFAULT_SWITCH_INTERVAL.as_secs_f64())
        ),
        python: python_cell,
        model,
    }
}

fn switch_interval_row(ctx: &Ctx) -> Row {
    let (short_band, long_band) = (Band::around(1.4, 1.4), Band::around(1.0, 1.0));
    let judge = |v: Value| -> Result<Cell> {
        let (short, long) = (number(&v, "ratio_short")?, number(&v, "ratio_long")?);
        Ok(Cell::new(
            format!("{short:.2} vs {long:.2}"),
            short_band.contains(short) && long_band.contains(long),
            v,
        ))
    };
    let python_cell = ctx
        .python(
            "switch_interval.py",
            &[
                "--iterations".into(),
                SWITCH_ITERATIONS.to_string(),
                "--short".into(),
                SHORT_INTERVAL.as_secs_f64().to_string(),
                "--long".into(),
                LONG_INTERVAL.as_secs_f64().to_string(),
            ],
        )
        .map(|r| or_failed(r.and_then(judge)));
    let interp = Interpreter::new();
    let ratio_at = |interval: Duration| -> Result<f64> {
        interp.set_switch_interval(interval);
        let (seq, thr) = ctx.best_of_two(
            || {
                Ok(workloads::cpu_tasks_sequential(
                    &interp,
                    2,
                    SWITCH_ITERATIONS,
                ))
            },
            || Ok(workloads::cpu_tasks_threads(&interp, 2, SWITCH_ITERATIONS)),
        )?;
        Ok(ratio(thr, seq))
    };
    let model = or_failed((|| {
        let (short, long) = (ratio_at(SHORT_INTERVAL)?, ratio_at(LONG_INTERVAL)?);
        judge(json!({"ratio_short": short, "ratio_long": long}))
    })());
    Row {
        about: About {
            key: "switch-interval",
            workload: "switch interval 0.1 ms vs 50 ms: 2 CPU-bound threads / sequential",
            cpython_3_11: "~1.4 vs ~1.0",
        },
        band: format!("{} vs {}", short_band.describe(), long_band.describe()),
        python: python_cell,
        model,
    }
}

fn counter_row(
    ctx: &Ctx,
    about: About,
    form: &str,
    program: &Program,
    entry: &str,
    band: Option<Band>,
) -> Row {
    // Before 3.10 `counter += 1` loses updates too, so "none lost" is not expected there.
    let old_python = ctx.python.as_ref().is_some_and(|p| p.older_than(3, 10));
    let judge = |v: Value, python: bool| -> Result<Cell> {
        let lost = number(&v, "lost_median")?;
        let in_band = match band {
            None => lost == 0.0 || (python && old_python),
            Some(b) => b.contains(lost),
        };
        Ok(Cell::new(format!("{:.1}% lost", lost * 100.0), in_band, v))
    };
    let python_cell = ctx
        .python(
            "lost_update.py",
            &[
                "--form".into(),
                form.into(),
                "--iterations".into(),
                COUNTER_ITERATIONS.to_string(),
                "--runs".into(),
                COUNTER_RUNS.to_string(),
            ],
        )
        .map(|r| or_failed(r.and_then(|v| judge(v, true))));
    let interp = Interpreter::new();
    let model = or_failed((|| {
        let mut fractions = Vec::new();
        for _ in 0..COUNTER_RUNS {
            fractions.push(
                workloads::lost_updates(&interp, program, entry, 2, COUNTER_ITERATIONS)?
                    .lost_fraction(),
            );
        }
        judge(
            json!({"lost_median": median(&fractions.clone()), "lost_runs": fractions}),
            false,
        )
    })());
    Row {
        about,
        band: band.map_or("0%".into(), |b| {
            format!("{:.0}% to {:.0}%", b.low * 100.0, b.high * 100.0)
        }),
        python: python_cell,
        model,
    }
}

fn counter_in_place_row(ctx: &Ctx) -> Row {
    let about = About {
        key: "counter-in-place",
        workload: "`counter += 1` on 2 threads, 10^6 each",
        cpython_3_11: "none lost (3.10 to 3.13)",
    };
    counter_row(
        ctx,
        about,
        "in-place",
        &Program::add_in_place(),
        "add_in_place",
        None,
    )
}

fn counter_with_call_row(ctx: &Ctx) -> Row {
    let about = About {
        key: "counter-with-call",
        workload: "`counter = counter + one()` on 2 threads, 10^6 each",
        cpython_3_11: "20-40% lost",
    };
    counter_row(
        ctx,
        about,
        "with-call",
        &Program::add_with_call(),
        "add_with_call",
        Some(Band::around(0.2, 0.4)),
    )
}

/// Measures one row.
type Measure = fn(&Ctx) -> Row;

/// The rows, in the order of the course's table.
const ROWS: [(&str, Measure); 7] = [
    ("cpu-threads", cpu_threads_row),
    ("cpu-processes", cpu_processes_row),
    ("sleeps", sleeps_row),
    ("convoy", convoy_row),
    ("switch-interval", switch_interval_row),
    ("counter-in-place", counter_in_place_row),
    ("counter-with-call", counter_with_call_row),
];

/// Starts `tasks` copies of this program, each running one CPU-bound task on its own
/// interpreter and GIL, and waits for all of them.
fn cpu_tasks_processes(exe: &Path, tasks: usize, iterations: u64) -> Result<()> {
    let children = (0..tasks)
        .map(|_| {
            Command::new(exe)
                .args(["child-cpu-task", &iterations.to_string()])
                .stdout(Stdio::null())
                .spawn()
                .with_context(|| format!("could not start {} child-cpu-task", exe.display()))
        })
        .collect::<Result<Vec<_>>>()?;
    for mut child in children {
        let status = child.wait().context("could not wait for a child process")?;
        if !status.success() {
            bail!("a child process failed: {status}");
        }
    }
    Ok(())
}

/// Round trips to an echo server in a child process (as convoy.py), in seconds each.
fn convoy_round_trips(
    ctx: &Ctx,
    warmup: usize,
    count: usize,
    beside_cpu: bool,
) -> Result<Vec<f64>> {
    let mut server = Command::new(&ctx.exe)
        .args(["child-echo-server", &ctx.think.as_micros().to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start {} child-echo-server", ctx.exe.display()))?;
    let (Some(to_server), Some(from_server)) = (server.stdin.take(), server.stdout.take()) else {
        bail!("the echo server's pipes are missing");
    };
    let interp = Interpreter::new();
    let trips = workloads::round_trips(&interp, to_server, from_server, warmup, count, beside_cpu)
        .context("the round trips failed")?;
    // The pipe to the server closed with the round-trip thread, so the server sees the
    // end of its input and exits.
    server
        .wait()
        .context("could not wait for the echo server")?;
    Ok(trips.iter().map(Duration::as_secs_f64).collect())
}

fn compare(cli: &Cli) -> Result<()> {
    let started = Instant::now();
    let exe = std::env::current_exe().context("could not find this program's own path")?;
    let python = if cli.model_only {
        None
    } else {
        match Python::find(&cli.python) {
            Ok(p) => Some(p),
            Err(e) => {
                eprintln!(
                    "compare-python: {} is not available ({e:#}); showing the model's column only. \
                     Install Python 3.10 or later (or pass --python PATH) to compare.",
                    cli.python
                );
                None
            }
        }
    };
    let ctx = Ctx {
        python,
        python_program: cli.python.clone(),
        runs: cli.runs,
        exe,
        think: Duration::from_micros(cli.server_think_us),
    };
    let cores_before = free_cores();
    let rows: Vec<Row> = ROWS
        .iter()
        .filter(|(key, _)| cli.rows.is_empty() || cli.rows.iter().any(|k| k == key))
        .map(|(_, row)| row(&ctx))
        .collect();
    let cores_after = free_cores();
    let elapsed = started.elapsed();
    if cli.json {
        let out = json!({
            "python": ctx.python.as_ref().map(|p| json!({"program": p.program, "version": p.version})),
            "runs": ctx.runs,
            "free_cores": [cores_before, cores_after],
            "server_think_s": ctx.think.as_secs_f64(),
            "elapsed_s": elapsed.as_secs_f64(),
            "rows": rows,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print_table(&rows, &ctx, (cores_before, cores_after), elapsed);
    }
    Ok(())
}

fn print_table(rows: &[Row], ctx: &Ctx, cores: (f64, f64), elapsed: Duration) {
    let python_title = match &ctx.python {
        Some(p) => format!("{} {} here", p.program, p.version),
        None => format!("{}: not run", ctx.python_program),
    };
    let headers = [
        "workload",
        "CPython 3.11 (course)",
        python_title.as_str(),
        "model here",
    ];
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|r| {
            [
                r.about.workload.to_string(),
                r.about.cpython_3_11.to_string(),
                r.python.as_ref().map_or("-".into(), |c| c.text.clone()),
                r.model.text.clone(),
            ]
        })
        .collect();
    let mut widths = headers.map(|h| h.chars().count());
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let print_line = |cols: [&str; 4]| {
        let padded: Vec<String> = cols
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(c.chars().count()))))
            .collect();
        println!("{}", padded.join(" | ").trim_end());
    };
    print_line(headers);
    let rules = widths.map(|w| "-".repeat(w));
    print_line([&rules[0], &rules[1], &rules[2], &rules[3]].map(String::as_str));
    for c in &cells {
        print_line([&c[0], &c[1], &c[2], &c[3]].map(String::as_str));
    }
    println!();
    println!("✓/✗: inside/outside the course's figure, widened by its ±20% noise:");
    for r in rows {
        println!("  {}: {}", r.about.key, r.band);
    }
    println!(
        "Timed rows: each side's fastest of {} interleaved rounds. Counters: median of {COUNTER_RUNS} races. \
         Round trips: mean of {TRIPS_ALONE} alone and {TRIPS_BESIDE} beside, the server working {} µs per reply.",
        ctx.runs,
        ctx.think.as_micros()
    );
    println!(
        "Free cores: {:.1} before, {:.1} after (of {}). Took {:.1} s.",
        cores.0,
        cores.1,
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        elapsed.as_secs_f64()
    );
    if cores.0.min(cores.1) < 1.6 {
        println!(
            "Warning: another program was using a core, so the parallel rows (processes, switch interval) \
             may be off; run again on a quieter machine."
        );
    }
}
