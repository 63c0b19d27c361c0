//! The verdict logic on a fake machine: the probe's answers are scripted, so every
//! branch (busy, free, retry, not measured) is exercised deterministically. The
//! versions sleep, which a busy CPU barely disturbs.

use std::cell::Cell;
use std::thread;
use std::time::Duration;

use super::judging::{Attempt, JudgedRun, Mode, Outcome, Requirement, parallel_outcome};
use super::*;
use crate::activity::Interval;

/// A machine with `cores` cores whose probe answers `probes` in order, then the last
/// answer forever.
fn machine<'a>(cores: usize, probes: &[f64]) -> Machine<'a> {
    let probes = probes.to_vec();
    let mut next = 0;
    Machine {
        cores,
        probe: Box::new(move |_| {
            let free = probes[next.min(probes.len() - 1)];
            next += 1;
            free
        }),
        busy_pause: Duration::ZERO,
        print: false,
    }
}

fn sleep_ms(ms: u64) {
    thread::sleep(Duration::from_millis(ms));
}

fn message(stop: Result<Measurement, Stop>) -> (&'static str, String) {
    match stop {
        Ok(m) => panic!("expected no pass, got {}", m.report),
        Err(Stop::Failed(message)) => ("failed", message),
        Err(Stop::Inconclusive(message)) => ("inconclusive", message),
    }
}

#[test]
fn a_faster_sequential_version_fails_a_parallelism_claim_while_cores_are_free() {
    let activity = Activity::new();
    let job = |ms| {
        let _w = activity.enter();
        sleep_ms(ms);
    };
    let outcome = compare("two jobs")
        .baseline("jobs of 10 ms", || (job(10), job(10)))
        .candidate("jobs of 4 ms, one after another", || (job(4), job(4)))
        .runs(2)
        .expect_candidate_faster(1.3)
        .expect_parallel(&activity, 2)
        .on_machine(machine(2, &[2.0]))
        .run();
    let (verdict, message) = message(outcome);
    assert_eq!(verdict, "failed", "{message}");
    assert!(
        message.contains(
            "the jobs ran one after another: at most 1 worker ran at once; expected at least 2"
        ),
        "{message}"
    );
    assert!(
        !message.contains("expected jobs of 4 ms"),
        "the speed claim held: {message}"
    );
    assert!(
        message.contains("measured 2 times"),
        "a failure is measured twice: {message}"
    );
}

#[test]
fn a_sequential_version_is_inconclusive_not_failed_while_cores_are_missing() {
    let activity = Activity::new();
    let job = |ms| {
        let _w = activity.enter();
        sleep_ms(ms);
    };
    // The gate probe finds 2 cores, every later probe finds 1.1.
    let outcome = compare("two jobs")
        .baseline("4 ms jobs", || (job(4), job(4)))
        .candidate("2 ms jobs", || (job(2), job(2)))
        .runs(2)
        .expect_candidate_faster(1.3)
        .expect_parallel(&activity, 2)
        .on_machine(machine(2, &[2.0, 1.1]))
        .run();
    let (verdict, message) = message(outcome);
    assert_eq!(verdict, "inconclusive", "{message}");
    assert!(
        message.contains("needs 2 free cores, found 1.10 after 3 attempts"),
        "{message}"
    );
}

#[test]
fn a_busy_machine_is_inconclusive_after_three_attempts_without_running_anything() {
    let runs = Cell::new(0);
    let outcome = compare("sum")
        .baseline("1 thread", || runs.set(runs.get() + 1))
        .candidate("2 threads", || runs.set(runs.get() + 1))
        .needs_cores(2)
        .expect_candidate_faster(1.5)
        .on_machine(machine(2, &[1.1]))
        .run();
    let (verdict, message) = message(outcome);
    assert_eq!(verdict, "inconclusive");
    assert_eq!(
        message,
        "sum: needs 2 free cores, found 1.10 after 3 attempts: the machine is busy; \
         re-run the check when it is quieter"
    );
    assert_eq!(runs.get(), 0);
}

#[test]
fn more_cores_than_the_machine_has_is_not_measured() {
    let outcome = compare("sum")
        .baseline("1 thread", || sleep_ms(1))
        .candidate("2 threads", || sleep_ms(1))
        .needs_cores(2)
        .expect_candidate_faster(1.5)
        .on_machine(machine(1, &[1.0]))
        .run();
    let (verdict, message) = message(outcome);
    assert_eq!(verdict, "inconclusive");
    assert!(
        message.starts_with("sum: needs 2 cores: not measured"),
        "{message}"
    );
}

#[test]
fn a_claim_that_fails_on_free_cores_is_measured_once_more_then_fails() {
    let candidate_runs = Cell::new(0);
    let outcome = compare("equal work")
        .baseline("a", || sleep_ms(2))
        .candidate("b", || {
            candidate_runs.set(candidate_runs.get() + 1);
            sleep_ms(2)
        })
        .runs(3)
        .expect_candidate_slower(3.0)
        .on_machine(machine(2, &[2.0]))
        .run();
    let (verdict, message) = message(outcome);
    assert_eq!(verdict, "failed");
    assert_eq!(candidate_runs.get(), 6, "two measurements of 3 runs");
    assert!(
        message
            .starts_with("equal work: expected b to take at least 3x as long as a, but it took "),
        "{message}"
    );
    assert!(
        message.contains("the fastest of 3 interleaved runs each, measured 2 times."),
        "{message}"
    );
}

#[test]
fn a_claim_that_fails_while_a_later_probe_finds_cores_missing_is_inconclusive() {
    let outcome = compare("equal work")
        .baseline("a", || sleep_ms(2))
        .candidate("b", || sleep_ms(2))
        .runs(2)
        .needs_cores(2)
        .expect_candidate_faster(1.5)
        .on_machine(machine(2, &[2.0, 1.2]))
        .run();
    let (verdict, message) = message(outcome);
    assert_eq!(verdict, "inconclusive", "{message}");
    assert!(
        message.contains("the machine is busy, so this proves nothing"),
        "{message}"
    );
}

#[test]
fn no_speedup_passes_only_if_the_cores_stayed_free() {
    let claim = |probes: &[f64]| {
        compare("gil")
            .baseline("1 thread", || sleep_ms(10))
            .candidate("2 threads", || sleep_ms(10))
            .runs(3)
            .needs_cores(2)
            .attempts(2)
            .expect_no_speedup(1.25)
            .on_machine(machine(2, probes))
            .run()
    };
    let passed = claim(&[2.0]).unwrap_or_else(|_| panic!("equal versions show no speed-up"));
    assert_eq!(passed.free_cores, Some(2.0));
    assert!(passed.report.ends_with(": passed"), "{}", passed.report);
    // Cores went missing during the runs: no speed-up proves nothing then.
    let (verdict, _) = message(claim(&[2.0, 1.0]));
    assert_eq!(verdict, "inconclusive");
}

#[test]
fn a_speedup_measured_on_a_busy_machine_still_passes() {
    let measurement = compare("sleep less")
        .baseline("20 ms", || sleep_ms(20))
        .candidate("2 ms", || sleep_ms(2))
        .runs(3)
        .needs_cores(2)
        .expect_candidate_faster(1.5)
        .on_machine(machine(2, &[2.0, 1.0]))
        .run()
        .unwrap_or_else(|_| panic!("load can hide a speed-up, never make one up"));
    assert_eq!(measurement.free_cores, Some(1.0));
    assert_eq!(measurement.measurements, 1);
}

#[test]
fn a_version_that_does_nothing_is_too_short_to_time() {
    let (verdict, message) = message(
        compare("empty")
            .baseline("work", || sleep_ms(1))
            .candidate("nothing", || ())
            .expect_candidate_faster(1.5)
            .on_machine(machine(2, &[2.0]))
            .run(),
    );
    assert_eq!(verdict, "failed");
    assert!(message.contains("too short to time"), "{message}");
    assert!(message.contains("timing::size_work"), "{message}");
}

#[test]
fn a_custom_structure_failure_is_reported_with_its_sentence() {
    let (verdict, message) = message(
        compare("pids")
            .baseline("threads", || sleep_ms(1))
            .candidate("processes", || sleep_ms(10))
            .runs(3)
            .expect_candidate_slower(1.5)
            .structure(|_| Err("all jobs ran in process 42; expected distinct processes".into()))
            .hint("Look at how the pool starts its workers.")
            .on_machine(machine(2, &[2.0]))
            .run(),
    );
    assert_eq!(verdict, "failed");
    assert!(
        message.starts_with("pids: all jobs ran in process 42"),
        "{message}"
    );
    assert!(
        message.ends_with("Look at how the pool starts its workers."),
        "{message}"
    );
}

#[test]
#[should_panic(expected = "makes no claim")]
fn a_comparison_without_a_claim_says_which_call_is_missing() {
    let _ = compare("nothing claimed")
        .baseline("a", || ())
        .candidate("b", || ())
        .on_machine(machine(2, &[2.0]))
        .run();
}

#[test]
#[should_panic(expected = "the factor must be a positive number")]
fn a_factor_that_is_not_positive_is_refused() {
    let _ = compare("x").expect_candidate_faster(0.0);
}

#[test]
fn check_panics_with_the_inconclusive_marker() {
    let panic = std::panic::catch_unwind(|| {
        compare("sum")
            .baseline("a", || ())
            .candidate("b", || ())
            .needs_cores(2)
            .expect_candidate_faster(1.5)
            .on_machine(machine(1, &[1.0]))
            .check()
    })
    .expect_err("one core cannot show two");
    let text = panic.downcast_ref::<String>().expect("a formatted message");
    assert!(
        text.starts_with("[inconclusive] sum: needs 2 cores: not measured"),
        "{text}"
    );
}

fn judged(
    baseline_ms: &[f64],
    candidate_ms: &[f64],
    expectation: Expectation,
) -> (Judged, Expectation) {
    let d = |ms: &f64| Duration::from_secs_f64(ms / 1e3);
    let attempt = Attempt {
        baseline: baseline_ms.iter().map(d).collect(),
        candidate: candidate_ms.iter().map(d).collect(),
        runs: Vec::new(),
        lowest_free: None,
    };
    let ctx = context(expectation, 1);
    (Judged::new(&ctx, attempt, Requirement::new(expectation, 1, Mode::Full), 1), expectation)
}

fn context(expectation: Expectation, needs: usize) -> Context<'static> {
    Context {
        name: "process creation vs thread creation",
        baseline: "20 threads",
        candidate: "20 processes",
        expectation,
        needs,
        hint: None,
        print: false,
    }
}

#[test]
fn the_report_line_gives_both_minimums_the_ratio_the_requirement_and_the_verdict() {
    let (judged, expectation) = judged(
        &[0.52, 0.41, 0.44],
        &[13.0, 12.3, 12.9],
        Expectation::CandidateSlower(5.0),
    );
    assert_eq!(
        context(expectation, 1).report_line(&judged, "passed"),
        "report: process creation vs thread creation: 20 threads 0.41 ms, 20 processes 12.3 ms: \
         20 processes cost 30.0x, required at least 5x; 3 pairs: passed"
    );
}

#[test]
fn the_report_line_of_a_speed_claim_shows_the_speedup_structure_and_free_cores() {
    let (mut judged, expectation) = judged(
        &[212.0, 230.0],
        &[109.0, 150.0],
        Expectation::CandidateFaster(1.5),
    );
    judged.attempt.lowest_free = Some(1.934);
    judged.measurements = 2;
    judged.runs = vec![JudgedRun {
        usage: Usage::default(),
        outcomes: vec![Outcome {
            figures: "2 workers at once".into(),
            problem: None,
        }],
        activity: None,
    }];
    judged.shown = Some(0);
    let ctx = Context {
        baseline: "1 thread",
        candidate: "2 threads",
        name: "sum",
        ..context(expectation, 2)
    };
    assert_eq!(
        ctx.report_line(&judged, "failed"),
        "report: sum: 1 thread 212 ms, 2 threads 109 ms: speed-up 1.94x, required at least 1.5x; \
         2 workers at once; free cores 1.93 of 2; 2 pairs, measured 2 times: failed"
    );
    let (judged, expectation) = judged_no_speedup();
    assert!(
        context(expectation, 1)
            .report_line(&judged, "passed")
            .contains("speed-up 0.98x, required at most 1.25x; 1 pair: passed")
    );
}

fn judged_no_speedup() -> (Judged, Expectation) {
    judged(&[100.0], &[102.0], Expectation::NoSpeedup(1.25))
}

fn report_of(intervals: Vec<Interval>) -> ActivityReport {
    ActivityReport::from_intervals(intervals, 0)
}

fn interval(start_ms: u64, end_ms: u64, cpu: usize, cpu_ms: u64) -> Interval {
    Interval {
        start_ns: start_ms * 1_000_000,
        end_ns: end_ms * 1_000_000,
        cpu_at_start: Some(cpu),
        cpu_at_end: Some(cpu),
        cpu_time_ns: Some(cpu_ms * 1_000_000),
    }
}

fn usage(wall_ms: u64, cpu_ms: u64) -> Usage {
    Usage {
        wall: Duration::from_millis(wall_ms),
        cpu_self: Duration::from_millis(cpu_ms),
        cpu_children: Duration::ZERO,
    }
}

#[test]
fn workers_computing_at_once_on_two_cpus_meet_a_parallelism_claim() {
    let report = report_of(vec![interval(0, 100, 0, 98), interval(1, 100, 1, 97)]);
    let outcome = parallel_outcome(&report, &usage(100, 196), 2, &full(2));
    assert_eq!(outcome.problem, None);
    assert_eq!(
        outcome.figures,
        "2 workers at once on 2 CPUs, CPU/wall 1.96, required 2 at once and CPU/wall at least 1.30"
    );
}

#[test]
fn workers_one_after_another_fail_a_parallelism_claim_whatever_their_speed() {
    let report = report_of(vec![interval(0, 50, 0, 50), interval(50, 100, 0, 50)]);
    let outcome = parallel_outcome(&report, &usage(100, 100), 2, &full(2));
    let problem = outcome
        .problem
        .expect("a sequential version is not parallel");
    assert!(
        problem.starts_with(
            "the jobs ran one after another: at most 1 worker ran at once; expected at least 2"
        ),
        "{problem}"
    );
    assert!(
        !problem.contains("CPU time"),
        "only the cause is given: {problem}"
    );
}

#[test]
fn overlapping_workers_that_take_turns_fail_a_parallelism_claim() {
    // Both inside their guards the whole time, but one waits on a lock: CPU/wall 1.0.
    let report = report_of(vec![interval(0, 100, 0, 50), interval(0, 100, 1, 50)]);
    let outcome = parallel_outcome(&report, &usage(100, 100), 2, &full(2));
    let problem = outcome.problem.expect("taking turns is not parallel");
    assert!(
        problem.starts_with("2 workers ran at once, but CPU time over wall time was 1.00"),
        "{problem}"
    );
    assert!(problem.contains("took turns"), "{problem}");
}

#[test]
fn worker_processes_count_with_the_cpu_time_they_report() {
    // This process only waited (CPU 1 ms), the two children reported 90 ms each.
    let report = report_of(vec![interval(0, 100, 0, 90), interval(0, 100, 1, 90)]);
    let outcome = parallel_outcome(&report, &usage(100, 1), 2, &full(2));
    assert_eq!(outcome.problem, None, "{}", outcome.figures);
}

#[test]
fn workers_on_one_cpu_fail_a_parallelism_claim() {
    let report = report_of(vec![interval(0, 100, 3, 98), interval(0, 100, 3, 97)]);
    let problem = parallel_outcome(&report, &usage(100, 196), 2, &full(2))
        .problem
        .expect("one CPU");
    assert_eq!(
        problem,
        "the workers were seen on 1 CPU (3); expected at least 2"
    );
}

#[test]
fn a_parallelism_claim_without_recorded_workers_says_how_to_record_them() {
    let outcome = parallel_outcome(&report_of(Vec::new()), &usage(100, 190), 2, &full(2));
    let problem = outcome.problem.expect("nothing recorded");
    assert!(problem.contains("activity.enter()"), "{problem}");
}

/// The full requirement of a 1.5x speed-up claim on `k` cores.
fn full(k: usize) -> Requirement {
    Requirement::new(Expectation::CandidateFaster(1.5), k, Mode::Full)
}

#[test]
fn a_speedup_claim_with_structure_is_judged_on_the_cores_that_are_free() {
    // One of two cores busy: 1.5 free. The requirement shrinks to what they allow.
    let m = compare("shared work")
        .baseline("alone", || sleep_ms(20))
        .candidate("shared", || sleep_ms(16))
        .runs(3)
        .needs_cores(2)
        .expect_candidate_faster(1.5)
        .structure(|_| Ok("two at once".into()))
        .on_machine(machine(2, &[1.5]))
        .run()
        .unwrap_or_else(|_| panic!("1.25x on 1.5 free cores meets the scaled requirement"));
    assert_eq!(m.scaled_to_free_cores, Some(1.5));
    assert!(m.report.contains("judged on 1.50 free cores: requirement scaled to 1.12x"), "{}", m.report);
    // The same claim without a structure load cannot fake is not scaled: busy, so inconclusive.
    let (verdict, _) = message(
        compare("shared work")
            .baseline("alone", || sleep_ms(20))
            .candidate("shared", || sleep_ms(16))
            .runs(2)
            .needs_cores(2)
            .attempts(2)
            .expect_candidate_faster(1.5)
            .on_machine(machine(2, &[1.5]))
            .run(),
    );
    assert_eq!(verdict, "inconclusive");
}

#[test]
fn a_sequential_version_never_passes_at_any_load() {
    for free in [1.2, 1.5, 1.8, 2.0] {
        let activity = Activity::new();
        let job = |ms| {
            let _w = activity.enter();
            sleep_ms(ms);
        };
        let outcome = compare("two jobs")
            .baseline("jobs of 10 ms", || (job(10), job(10)))
            .candidate("jobs of 3 ms, one after another", || (job(3), job(3)))
            .runs(2)
            .attempts(2)
            .expect_candidate_faster(1.3)
            .expect_parallel(&activity, 2)
            .on_machine(machine(2, &[free]))
            .run();
        let (verdict, message) = message(outcome);
        let expected = if free >= 1.7 { "failed" } else { "inconclusive" };
        assert_eq!(verdict, expected, "with {free} free cores: {message}");
    }
}

#[test]
fn a_no_speedup_claim_on_fewer_cores_rests_on_cpu_over_wall() {
    let claim = |free: f64| {
        compare("gil")
            .baseline("1 thread", || sleep_ms(10))
            .candidate("2 threads", || sleep_ms(10))
            .runs(2)
            .needs_cores(2)
            .attempts(2)
            .expect_no_speedup(1.25)
            .on_machine(machine(2, &[free]))
            .run()
    };
    // Sleeping versions use almost no CPU: far under the cap of 1.25 on 1.5 free cores.
    let m = claim(1.5).unwrap_or_else(|_| panic!("no speed-up and no parallel CPU use"));
    assert!(m.report.contains("CPU/wall at most 1.25 in every run"), "{}", m.report);
    // On 1.2 free cores a parallel version would not stand out: no verdict.
    assert_eq!(message(claim(1.2)).0, "inconclusive");
}

#[test]
fn a_clear_verdict_stops_after_two_pairs_and_a_close_one_uses_them_all() {
    let clear = compare("clear")
        .baseline("20 ms", || sleep_ms(20))
        .candidate("5 ms", || sleep_ms(5))
        .runs(6)
        .expect_candidate_faster(1.5)
        .on_machine(machine(1, &[]))
        .run()
        .unwrap_or_else(|_| panic!("4x clears 1.5x"));
    assert_eq!(clear.pairs, MIN_PAIRS);
    let close = compare("close")
        .baseline("16 ms", || sleep_ms(16))
        .candidate("10 ms", || sleep_ms(10))
        .runs(5)
        .expect_candidate_faster(1.5)
        .on_machine(machine(1, &[]))
        .run()
        .unwrap_or_else(|_| panic!("1.6x meets 1.5x"));
    assert_eq!(close.pairs, 5, "1.6x is within the margin of 1.5x: every pair is timed");
}
