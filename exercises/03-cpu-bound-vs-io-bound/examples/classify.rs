//! Measures the checks' task mix with your `measure`, `cpu_share` and `classify`, and
//! prints the table of the book's page: wall time, CPU time, time queued for a CPU,
//! CPU over wall, the CPU share and the class of every task. Given; it runs once your
//! exercise passes:
//!
//! `cargo run -q --release -p ex03-cpu-bound-vs-io-bound --example classify`
//!
//! Every task runs five times; the table shows the run with the median CPU share. The
//! last rows are not in the checks: a file read from the disk (its class depends on
//! the disk) and a computation that shares its core with a busy thread.

use std::time::Duration;

use cpu_bound_vs_io_bound::{Usage, classify, clocks, measure};

#[path = "../tests/tasks/mod.rs"]
mod tasks;

/// Runs of every task; the table shows the median.
const RUNS: usize = 5;

/// How long the single tasks last, as in the checks.
const TASK: Duration = Duration::from_millis(150);

fn main() {
    let rows: Vec<(fn() -> tasks::Task, bool)> = vec![
        (|| tasks::spin(TASK), false),
        (|| tasks::sleep(TASK), false),
        (|| tasks::cached_file(TASK), false),
        (|| tasks::slow_fifo(10, Duration::from_millis(15)), false),
        (|| tasks::loopback(4, Duration::from_millis(40)), false),
        (|| tasks::spin_then_sleep(TASK / 2, TASK / 2), false),
        (
            || tasks::fetch_then_hash(2, Duration::from_millis(40), Duration::from_millis(40)),
            false,
        ),
        (tasks::uncached_file, false),
        (|| tasks::spin(TASK), true),
    ];
    println!(
        "cores: {} available, {:.2} free (probe); run-queue clock {}; median of {RUNS} runs",
        timing::available_cores(),
        timing::free_cores(),
        if clocks::can_see_queue() {
            "readable"
        } else {
            "not readable: queued reads 0"
        }
    );
    println!();
    println!("| task | wall | CPU | queued | CPU / wall | CPU share | class |");
    println!("|---|---|---|---|---|---|---|");
    for (build, sharing) in rows {
        let mut measured: Vec<(String, Usage)> = (0..RUNS)
            .map(|_| {
                let work = move || {
                    let task = build();
                    let (leftovers, usage) = measure(task.run);
                    drop(leftovers);
                    (task.name, usage)
                };
                if sharing {
                    tasks::beside_a_busy_thread_on_the_same_core(work)
                } else {
                    // A fresh thread for every run, as in the checks.
                    std::thread::spawn(work).join().expect("the task panicked")
                }
            })
            .collect();
        measured.sort_by(|a, b| a.1.cpu_share().total_cmp(&b.1.cpu_share()));
        let (name, usage) = &measured[measured.len() / 2];
        let name = if sharing {
            format!("{name}, sharing its core with a busy thread")
        } else {
            name.clone()
        };
        println!(
            "| {name} | {} | {} | {} | {:.2} | {:.2} | {} |",
            ms(usage.wall),
            ms(usage.cpu),
            ms(usage.queued),
            usage.cpu.as_secs_f64() / usage.wall.as_secs_f64(),
            usage.cpu_share(),
            classify(usage)
        );
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}
