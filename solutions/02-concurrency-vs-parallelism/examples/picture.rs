//! The picture of chapter 02: the three tables served by one waiter (one thread taking
//! turns), then by three waiters (three threads), drawn on one time axis from a real
//! run of the reference solution on a [`Kitchen`], where every step is real work.
//!
//! ```text
//! cargo run -q --release -p sol02-concurrency-vs-parallelism --example picture -- --out src/img
//! ```
//!
//! (`cargo xtask pictures` runs it with the book's other pictures.)

use std::io;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use concurrency_vs_parallelism::{Floor, Kitchen, Served, round_robin, staff, three_tables};
use timeline::{Lane, State, Timeline};

const FILE: &str = "02-one-waiter-three-waiters.svg";
const COMMAND: &str =
    "cargo run -q --release -p sol02-concurrency-vs-parallelism --example picture -- --out src/img";

/// How long one waiter takes for the three tables: long enough to see every step.
const ONE_WAITER: Duration = Duration::from_millis(42);

fn main() -> ExitCode {
    timeline::picture_main(draw)
}

fn draw(out: &Path) -> io::Result<()> {
    let tables = three_tables();
    let turns_per_tick = timing::size_work(ONE_WAITER, |n| {
        let kitchen = Kitchen::new(n);
        for table in &tables {
            for step in &table.steps {
                kitchen.serve(1, table, step);
            }
        }
    });
    wait_for_free_cores();

    let one = Kitchen::new(turns_per_tick);
    round_robin(&one, 1, &tables);
    let three = Kitchen::new(turns_per_tick);
    staff(&three, &tables, 3);

    let (one_log, three_log) = (one.log(), three.log());
    let (one_ns, three_ns) = (span_ns(&one_log), span_ns(&three_log));
    let cpus = |k: &Kitchen| k.activity().report().distinct_cpus;
    let ms = |ns: u64| ns as f64 / 1e6;
    let facts = format!(
        "one waiter {:.1} ms on {} CPU, three waiters {:.1} ms on {} CPUs ({:.2}x)",
        ms(one_ns),
        cpus(&one),
        ms(three_ns),
        cpus(&three),
        one_ns as f64 / three_ns as f64
    );
    let lanes = lanes(&one_log, "1 waiter", &tables)
        .into_iter()
        .chain(lanes(&three_log, "3 waiters", &tables));
    let svg = Timeline::new("Three tables: one waiter taking turns, then three waiters")
        .caption(facts.clone())
        .description(format!(
            "The top three lanes are the tables served by one waiter on one thread: at any \
             moment one table is being served and the other two wait, yet all three are in \
             progress from the start almost to the end. That is concurrency. The bottom three \
             lanes are the same tables served by three waiters on three threads: every table \
             has a waiter from start to end, and the steps of different tables run at the \
             same moment on different cores. That is parallelism. A step's bar covers its \
             whole wall time, including moments when its thread waited for a core (three \
             threads, two cores). Both runs start at 0 ms. {facts}."
        ))
        .label(
            State::RunningWithoutGil,
            "being served (a waiter is working on it)",
        )
        .label(State::Waiting, "waiting for its waiter")
        .lanes(lanes)
        .to_svg();
    std::fs::create_dir_all(out)?;
    let path = out.join(FILE);
    std::fs::write(&path, svg)?;
    println!("{}: {facts}", path.display());
    for (who, log) in [("one waiter", &one_log), ("three waiters", &three_log)] {
        let start = log.iter().map(|s| s.start).min().unwrap_or(0);
        for table in &tables {
            let served: u64 = log
                .iter()
                .filter(|s| s.service == table.name)
                .map(|s| s.end - s.start)
                .sum();
            let last = log
                .iter()
                .filter(|s| s.service == table.name)
                .map(|s| s.end)
                .max()
                .unwrap_or(start);
            println!(
                "  {who}, {}: served {:.1} ms, done at {:.1} ms",
                table.name,
                ms(served),
                ms(last - start)
            );
        }
    }
    println!(
        "(measured on {} cores; regenerate with `{COMMAND}`)",
        timing::available_cores()
    );
    Ok(())
}

/// One lane per table: served while a waiter works on one of its steps, waiting from its
/// first step to its last otherwise. Times start at the run's first step.
fn lanes(log: &[Served], who: &str, tables: &[concurrency_vs_parallelism::Service]) -> Vec<Lane> {
    let start = log.iter().map(|s| s.start).min().unwrap_or(0);
    tables
        .iter()
        .map(|table| {
            let mut lane = Lane::new(format!("{who}: {}", table.name));
            let mut at = None;
            for step in log.iter().filter(|s| s.service == table.name) {
                let (a, b) = (step.start - start, step.end - start);
                if let Some(previous) = at {
                    lane.push_span(previous, a.max(previous), State::Waiting);
                }
                lane.push_span(a.max(at.unwrap_or(0)), b, State::RunningWithoutGil);
                at = Some(b);
            }
            lane
        })
        .collect()
}

fn span_ns(log: &[Served]) -> u64 {
    let first = log.iter().map(|s| s.start).min().unwrap_or(0);
    let last = log.iter().map(|s| s.end).max().unwrap_or(0);
    last - first
}

/// Waits (up to about 20 s) for 2 free cores: with a neighbour on one core, the three
/// waiters take turns on the other and the picture would show the machine, not the lesson.
fn wait_for_free_cores() {
    for _ in 0..20 {
        if timing::free_cores_among(2) >= 1.7 {
            return;
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    eprintln!(
        "picture: warning: 2 cores were not free; the three waiters may not overlap in this run"
    );
}
