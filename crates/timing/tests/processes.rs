//! Child processes: their CPU time shows in `Usage::cpu_children`, and their intervals,
//! sent back as text, land on the parent's clock.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use timing::{Activity, Interval, measure, monotonic_ns};

const WORKER: &str = "TIMING_TEST_WORKER";

fn work(n: u64) -> u64 {
    let mut x = n;
    for i in 0..n {
        x = std::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(i));
    }
    x
}

/// In a worker process (this test binary re-run with `TIMING_TEST_WORKER` set), does
/// some work and prints its interval; in the test run itself, does nothing.
#[test]
fn worker() {
    if std::env::var_os(WORKER).is_some() {
        let (_, interval) = Interval::measure(|| work(20_000_000));
        // The harness has already written "test worker ... " on this line.
        println!("\n{interval}");
    }
}

#[test]
fn worker_processes_report_their_intervals_and_cpu_time() {
    let exe = std::env::current_exe().expect("the test binary knows its path");
    let activity = Activity::new();
    let before = monotonic_ns();
    let ((), usage) = measure(|| {
        let children: Vec<_> = (0..2)
            .map(|_| {
                Command::new(&exe)
                    .args(["--exact", "worker", "--nocapture", "--test-threads=1"])
                    .env(WORKER, "1")
                    .stdout(Stdio::piped())
                    .spawn()
                    .expect("the test binary can start itself")
            })
            .collect();
        for mut child in children {
            let stdout = child.stdout.take().expect("stdout is piped");
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(interval) = line.parse::<Interval>() {
                    activity.record(interval);
                }
            }
            assert!(child.wait().expect("the worker ran").success());
        }
    });
    let after = monotonic_ns();
    let report = activity.report();
    assert_eq!(report.workers, 2, "{report:?}");
    for interval in &report.intervals {
        assert!(
            before <= interval.start_ns && interval.end_ns <= after,
            "a child's CLOCK_MONOTONIC is the parent's: {interval} not within {before}..{after}"
        );
    }
    assert!(
        report.worker_cpu.is_some_and(|cpu| !cpu.is_zero()),
        "{report:?}"
    );
    assert!(usage.cpu_children > std::time::Duration::ZERO, "{usage:?}");
    println!(
        "2 worker processes: {} at once, CPU/wall {:.2}, children CPU {:?}",
        report.max_concurrent,
        usage.cpu_over_wall(),
        usage.cpu_children
    );
}
