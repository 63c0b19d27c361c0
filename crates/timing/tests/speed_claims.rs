//! Speed claims that need one core, on the real (possibly busy) machine: interleaved
//! minimums keep a 4x difference far above a 2x requirement and equal work far below it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use timing::{Expectation, compare, size_work};

fn work(n: u64) -> u64 {
    let mut x = n;
    for i in 0..n {
        x = std::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(i));
    }
    x
}

#[test]
fn a_candidate_four_times_slower_passes_a_claim_of_at_least_2x() {
    let n = size_work(Duration::from_millis(15), work);
    let m = compare("4x the work vs 1x")
        .baseline("1x", || work(n))
        .candidate("4x", || work(4 * n))
        .expect_candidate_slower(2.0)
        .check();
    println!("{}", m.report);
    assert_eq!(m.expectation, Expectation::CandidateSlower(2.0));
    assert!(m.ratio() >= 2.0 && m.ratio() == m.slowdown());
    // A clear 4x against 2x stops after the fewest pairs a verdict rests on.
    assert_eq!((m.baseline_runs.len(), m.candidate_runs.len()), (timing::MIN_PAIRS, timing::MIN_PAIRS));
    assert_eq!(m.pairs, timing::MIN_PAIRS);
    assert_eq!(Some(&m.baseline), m.baseline_runs.iter().min());
    assert_eq!(m.free_cores, None, "a one-core claim does not probe");
    // report: <name>: <baseline> <time>, <candidate> <time>: <ratio>, <requirement>: <verdict>
    let rest = m
        .report
        .strip_prefix("report: 4x the work vs 1x: 1x ")
        .expect(&m.report);
    let (_, rest) = rest
        .split_once(" ms, 4x ")
        .or_else(|| rest.split_once(" s, 4x "))
        .expect(&m.report);
    let (_, rest) = rest.split_once(": 4x cost ").expect(&m.report);
    assert!(
        rest.ends_with("x, required at least 2x; 2 pairs: passed"),
        "{}",
        m.report
    );
}

#[test]
fn an_equal_candidate_fails_a_claim_of_at_least_2x_with_its_numbers() {
    let n = size_work(Duration::from_millis(10), work);
    let panic = catch_unwind(AssertUnwindSafe(|| {
        compare("equal work")
            .baseline("first copy", || work(n))
            .candidate("second copy", || work(n))
            .runs(3)
            .expect_candidate_slower(2.0)
            .check()
    }))
    .expect_err("equal work is not 2x slower");
    let message = panic.downcast_ref::<String>().expect("a formatted message");
    println!("{message}");
    assert!(
        message.starts_with(
            "equal work: expected second copy to take at least 2x as long as first copy, but it took "
        ),
        "{message}"
    );
    assert!(
        message.contains("the fastest of 3 interleaved runs each, measured 2 times"),
        "{message}"
    );
    assert!(message.ends_with("and first copy avoids it."), "{message}");
}
