//! Parallelism claims on the real machine, which is shared and may be busy: a real
//! parallel version passes or is inconclusive, never fails; a faster sequential
//! version never passes.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::thread;
use std::time::Duration;

use timing::{Activity, Measurement, compare, size_work};

/// CPU-bound work proportional to `n`, which the optimiser cannot shortcut.
fn work(n: u64) -> u64 {
    let mut x = n;
    for i in 0..n {
        x = std::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(i));
    }
    x
}

/// Runs a check and returns its measurement or its panic message.
fn outcome(check: impl FnOnce() -> Measurement) -> Result<Measurement, String> {
    catch_unwind(AssertUnwindSafe(check)).map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

#[test]
fn a_real_parallel_version_passes_or_is_inconclusive_never_failed() {
    let n = size_work(Duration::from_millis(60), work);
    let activity = Activity::new();
    let job = |n| {
        let _w = activity.enter();
        work(n)
    };
    let result = outcome(|| {
        compare("work on 2 threads vs 1")
            .baseline("1 thread", || job(n))
            .candidate("2 threads", || {
                thread::scope(|s| {
                    let other = s.spawn(|| job(n / 2));
                    job(n / 2) ^ other.join().expect("the worker panicked")
                })
            })
            .expect_candidate_faster(1.3)
            .expect_parallel(&activity, 2)
            .check()
    });
    match result {
        Ok(m) => {
            println!("{}", m.report);
            assert!(m.speedup() >= 1.3);
            let activity = m
                .activity
                .expect("a parallelism claim reports its activity");
            assert!(activity.max_concurrent >= 2, "{activity:?}");
            assert!(
                m.free_cores.is_some(),
                "a parallelism claim probes the cores"
            );
        }
        Err(message) => {
            println!("{message}");
            if timing::available_cores() >= 2 {
                assert!(
                    message
                        .starts_with("[inconclusive] work on 2 threads vs 1: needs 2 free cores"),
                    "a real parallel version must never fail: {message}"
                );
            } else {
                assert!(message.contains("needs 2 cores: not measured"), "{message}");
            }
        }
    }
}

#[test]
fn a_faster_sequential_version_never_passes_a_parallelism_claim() {
    let n = size_work(Duration::from_millis(40), work);
    let activity = Activity::new();
    let job = |n| {
        let _w = activity.enter();
        work(n)
    };
    let result = outcome(|| {
        compare("a smarter sequential algorithm vs 1 thread")
            .baseline("1 thread", || job(n))
            // Half the work, one job after the other: twice as fast, but not parallel.
            .candidate("two quarter jobs in turn", || job(n / 4) ^ job(n / 4))
            .runs(3)
            .expect_candidate_faster(1.3)
            .expect_parallel(&activity, 2)
            .check()
    });
    let message = match result {
        Ok(m) => panic!(
            "a sequential version passed a parallelism claim: {}",
            m.report
        ),
        Err(message) => message,
    };
    println!("{message}");
    assert!(
        message.starts_with("[inconclusive]")
            || message.contains(
                "the jobs ran one after another: at most 1 worker ran at once; expected at least 2"
            ),
        "{message}"
    );
}

#[test]
fn more_cores_than_this_machine_has_is_not_measured() {
    let cores = timing::available_cores();
    let ran = std::cell::Cell::new(false);
    let result = outcome(|| {
        compare("a claim for a bigger machine")
            .baseline("1 thread", || ran.set(true))
            .candidate("many threads", || ran.set(true))
            .needs_cores(cores + 1)
            .expect_candidate_faster(1.5)
            .check()
    });
    let message = result.expect_err("a machine cannot show more cores than it has");
    assert_eq!(
        message,
        format!(
            "[inconclusive] a claim for a bigger machine: needs {} cores: not measured \
             (this machine gives this process {cores}); run the check on a machine with at \
             least {} cores",
            cores + 1,
            cores + 1
        )
    );
    assert!(!ran.get(), "nothing is run when it cannot be measured");
}
