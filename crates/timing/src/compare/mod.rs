//! The comparison every timing check goes through: two versions timed interleaved,
//! the minimum of each compared, a structural requirement beside the speed claim, a
//! free-core probe around the runs, and one verdict printed as one `report:` line.
//!
//! **When to stop.** Pairs are timed until the verdict is clear: after at least
//! [`MIN_PAIRS`], the comparison stops as soon as the claim is met with a margin of
//! [`CLEAR_MARGIN`] of its factor (a 1.9x speed-up against a 1.5x claim: two pairs);
//! otherwise it goes on to the check's maximum (`runs`, default [`DEFAULT_MAX_PAIRS`])
//! and judges the minimums without a margin.
//!
//! **Judged on the cores there are.** A claim that needs k ≥ 2 cores probes them
//! before, every [`PROBE_EVERY`] pairs, and after. With k free, the full requirement
//! holds. With fewer but at least [`judging::MIN_SCALED_FREE`], a speed-up claim that
//! carries a structural requirement is judged on what those cores allow (the required
//! speed-up and CPU over wall shrink with the free cores; k workers at once and CPU over
//! wall above one core's 1.0 stay, and load cannot fake those), and a "no speed-up"
//! claim rests on CPU over wall staying under what free cores would give a parallel
//! version. Such a run can pass, never fail: a failure is only reported on free cores.
//! Below that, the attempt is spoiled, re-measured after a pause, and at last
//! inconclusive. A sequential or one-worker version never passes a parallel claim at
//! any load: it shows one worker at a time and at most 1.0 CPU over wall.

mod expectation;
mod judging;
mod wording;

use std::thread;
use std::time::Duration;

pub use expectation::Expectation;
use judging::{Attempt, Judged, MIN_FREE_FOR_NO_SPEEDUP, MIN_SCALED_FREE, Mode, Requirement};
use wording::Context;

use crate::activity::{Activity, ActivityReport};
use crate::exclusive::Exclusive;
use crate::probe::{self, available_cores, free_cores_among};
use crate::usage::Usage;

/// The fewest pairs a verdict rests on: one pair has no run to spare for a neighbour's pause.
pub const MIN_PAIRS: usize = 2;

/// The most pairs by default (`runs` sets it). Each version's minimum needs only one
/// undisturbed run; a clear verdict stops long before.
pub const DEFAULT_MAX_PAIRS: usize = 6;

/// How far past its factor a claim must be met to stop early: 10%.
pub const CLEAR_MARGIN: f64 = 0.10;

/// Probe the free cores again every this many pairs (and before and after).
pub const PROBE_EVERY: usize = 3;

/// Attempts by default when the probe finds the cores busy.
const DEFAULT_ATTEMPTS: usize = 3;

/// Pause after a busy attempt, multiplied by the number of busy attempts so far:
/// a neighbour's compile step often lasts a second or two.
const BUSY_PAUSE: Duration = Duration::from_millis(400);

/// A run faster than this cannot be timed meaningfully (or did no work at all).
pub(crate) const SHORTEST_RUN: Duration = Duration::from_micros(1);

/// Share of `k` cores a `k`-worker parallel version must keep busy (CPU time over wall
/// time at least `0.65 * k`): a sequential version cannot exceed 1.0, a real one on
/// free cores gets close to `k`, and the gap leaves room for start-up and a neighbour.
pub(crate) const PARALLEL_CPU_SHARE: f64 = 0.65;

/// Starts a comparison named `name` (the name opens the report line and every message).
#[must_use = "a comparison measures nothing until `.check()` is called"]
pub fn compare<'a>(name: impl Into<String>) -> Comparison<'a> {
    Comparison {
        name: name.into(),
        baseline: None,
        candidate: None,
        runs: DEFAULT_MAX_PAIRS,
        needs_cores: 1,
        attempts: DEFAULT_ATTEMPTS,
        expectation: None,
        structures: Vec::new(),
        hint: None,
        machine: Machine::real(),
    }
}

/// The outcome of a comparison that passed: the minimum of each version and the
/// figures behind the verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct Measurement {
    /// The comparison's name.
    pub name: String,
    /// The baseline's label.
    pub baseline_label: String,
    /// The candidate's label.
    pub candidate_label: String,
    /// The baseline's fastest run.
    pub baseline: Duration,
    /// The candidate's fastest run.
    pub candidate: Duration,
    /// Every baseline run of the deciding measurement, in order.
    pub baseline_runs: Vec<Duration>,
    /// Every candidate run of the deciding measurement, in order.
    pub candidate_runs: Vec<Duration>,
    /// The claim that was checked.
    pub expectation: Expectation,
    /// The lowest free-core probe around the deciding measurement; `None` if the
    /// comparison needed one core and did not probe.
    pub free_cores: Option<f64>,
    /// What the candidate's workers did in the run the report describes, when a
    /// parallelism claim was attached with [`Comparison::expect_parallel`].
    pub activity: Option<ActivityReport>,
    /// What the candidate run the report describes cost (wall and CPU time).
    pub candidate_usage: Usage,
    /// How many times both versions were measured (more than 1 after a retry).
    pub measurements: usize,
    /// How many pairs the deciding measurement timed.
    pub pairs: usize,
    /// The free cores the verdict was scaled to, when fewer than the claim needs were free.
    pub scaled_to_free_cores: Option<f64>,
    /// The line printed to stdout, `report: ` prefix included.
    pub report: String,
}

impl Measurement {
    /// The ratio the expectation is stated in (see [`Expectation::ratio`]).
    pub fn ratio(&self) -> f64 {
        self.expectation.ratio(self.baseline, self.candidate)
    }

    /// Baseline minimum over candidate minimum.
    pub fn speedup(&self) -> f64 {
        self.baseline.as_secs_f64() / self.candidate.as_secs_f64()
    }

    /// Candidate minimum over baseline minimum.
    pub fn slowdown(&self) -> f64 {
        self.candidate.as_secs_f64() / self.baseline.as_secs_f64()
    }
}

/// A comparison being set up; [`Comparison::check`] runs it. Built by [`compare`].
#[must_use = "a comparison measures nothing until `.check()` is called"]
pub struct Comparison<'a> {
    name: String,
    baseline: Option<Version<'a>>,
    candidate: Option<Version<'a>>,
    runs: usize,
    needs_cores: usize,
    attempts: usize,
    expectation: Option<Expectation>,
    structures: Vec<Structure<'a>>,
    hint: Option<String>,
    machine: Machine<'a>,
}

/// One version's code, boxed so the two versions may be different closures.
pub(crate) type Run<'a> = Box<dyn FnMut() + 'a>;

/// A structural requirement of the check's own (see [`Comparison::structure`]).
pub(crate) type StructureCheck<'a> = Box<dyn FnMut(&Usage) -> Result<String, String> + 'a>;

/// The free-core probe: how many of `n` cores are free.
pub(crate) type Probe<'a> = Box<dyn FnMut(usize) -> f64 + 'a>;

struct Version<'a> {
    label: String,
    run: Run<'a>,
}

pub(crate) enum Structure<'a> {
    Parallel {
        activity: Activity,
        min_workers: usize,
    },
    Custom(StructureCheck<'a>),
}

/// What the comparison knows about the machine; replaced by a fake in unit tests.
struct Machine<'a> {
    cores: usize,
    probe: Probe<'a>,
    busy_pause: Duration,
    print: bool,
}

impl Machine<'_> {
    /// The pause after the `busy`-th busy attempt: longer each time, up to 4 pauses.
    fn pause_after(&self, busy: usize) -> Duration {
        self.busy_pause * busy.clamp(1, 4) as u32
    }

    fn real() -> Self {
        Machine {
            cores: available_cores(),
            probe: Box::new(free_cores_among),
            busy_pause: BUSY_PAUSE,
            print: true,
        }
    }
}

impl<'a> Comparison<'a> {
    /// The version the candidate is measured against, run first in every pair.
    /// Its return value is kept from the optimiser and dropped inside the timing.
    pub fn baseline<R>(
        mut self,
        label: impl Into<String>,
        mut run: impl FnMut() -> R + 'a,
    ) -> Self {
        let run = move || drop(std::hint::black_box(run()));
        self.baseline = Some(Version {
            label: label.into(),
            run: Box::new(run),
        });
        self
    }

    /// The version the claim is about, run second in every pair.
    /// Its return value is kept from the optimiser and dropped inside the timing.
    pub fn candidate<R>(
        mut self,
        label: impl Into<String>,
        mut run: impl FnMut() -> R + 'a,
    ) -> Self {
        let run = move || drop(std::hint::black_box(run()));
        self.candidate = Some(Version {
            label: label.into(),
            run: Box::new(run),
        });
        self
    }

    /// The most interleaved pairs (baseline, candidate) to time; default 6, at least 2.
    /// A clear verdict stops sooner.
    pub fn runs(mut self, pairs: usize) -> Self {
        self.runs = pairs.max(MIN_PAIRS);
        self
    }

    /// How many free cores the claim needs; default 1 (no probe). With 2 or more the
    /// cores are probed before, between and after the runs, and a verdict is only
    /// given with them free: otherwise it is inconclusive.
    pub fn needs_cores(mut self, cores: usize) -> Self {
        self.needs_cores = cores.max(1);
        self
    }

    /// How many measurements a busy machine may spoil before the verdict is
    /// inconclusive; default 3, at least 1.
    pub fn attempts(mut self, attempts: usize) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// Claims `candidate_min / baseline_min >= factor` (replaces an earlier claim).
    #[track_caller]
    pub fn expect_candidate_slower(self, factor: f64) -> Self {
        self.expect(
            Expectation::CandidateSlower(factor),
            "expect_candidate_slower",
        )
    }

    /// Claims `baseline_min / candidate_min >= factor` (replaces an earlier claim).
    #[track_caller]
    pub fn expect_candidate_faster(self, factor: f64) -> Self {
        self.expect(
            Expectation::CandidateFaster(factor),
            "expect_candidate_faster",
        )
    }

    /// Claims `baseline_min / candidate_min <= factor` (replaces an earlier claim).
    /// Pair it with `needs_cores(2)` when the point is that a second core did not
    /// help: only then is a busy machine told apart from a real lack of speed-up.
    #[track_caller]
    pub fn expect_no_speedup(self, factor: f64) -> Self {
        self.expect(Expectation::NoSpeedup(factor), "expect_no_speedup")
    }

    #[track_caller]
    fn expect(mut self, expectation: Expectation, method: &str) -> Self {
        let (Expectation::CandidateSlower(f)
        | Expectation::CandidateFaster(f)
        | Expectation::NoSpeedup(f)) = expectation;
        assert!(
            f.is_finite() && f > 0.0,
            "{method}({f}) in \"{}\": the factor must be a positive number such as 1.5",
            self.name
        );
        self.expectation = Some(expectation);
        self
    }

    /// Requires that the candidate really ran `min_workers` workers at once: in at least
    /// one candidate run, `activity` (cleared before each run) must show that many
    /// workers overlapping, on as many CPUs (where CPU ids are known), with CPU time
    /// over wall time of at least `0.65 * min_workers`. The claim needs at least
    /// `min_workers` cores (at least 2), whatever `needs_cores` says.
    ///
    /// CPU time is the larger of `getrusage` (this process and its waited-for children)
    /// and the CPU time the workers recorded in their intervals, so a pool of worker
    /// processes that outlives the run must send [`crate::Interval::measure`]d intervals.
    pub fn expect_parallel(mut self, activity: &Activity, min_workers: usize) -> Self {
        let min_workers = min_workers.max(2);
        self.structures.push(Structure::Parallel {
            activity: activity.clone(),
            min_workers,
        });
        self
    }

    /// Adds a structural requirement of your own, evaluated right after every
    /// candidate run with that run's [`Usage`]: `Ok(figures)` or `Err(what went wrong,
    /// as a sentence)`. It holds if it returned `Ok` for at least one run, so write it
    /// as something a busy machine can spoil but never fake.
    pub fn structure(mut self, check: impl FnMut(&Usage) -> Result<String, String> + 'a) -> Self {
        self.structures.push(Structure::Custom(Box::new(check)));
        self
    }

    /// Replaces the last sentence of a failure message (what to look at).
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    #[cfg(test)]
    fn on_machine(mut self, machine: Machine<'a>) -> Self {
        self.machine = machine;
        self
    }

    /// Measures, prints one `report:` line to stdout and returns the measurement if the
    /// claim held. Panics with what was expected, the numbers and what to look at if it
    /// did not; panics with a message starting `[inconclusive]` if the machine could
    /// not give the cores the claim needs. Measurements in one process (checks,
    /// [`crate::size_work`], [`crate::free_cores`]) run one at a time.
    #[track_caller]
    pub fn check(self) -> Measurement {
        assert!(
            !Exclusive::held(),
            "the comparison \"{}\" was started inside another measurement; \
             run comparisons one after another",
            self.name
        );
        let _one_at_a_time = Exclusive::take();
        match self.run() {
            Ok(measurement) => measurement,
            Err(Stop::Failed(message)) => panic!("{message}"),
            Err(Stop::Inconclusive(message)) => crate::inconclusive(message),
        }
    }

    fn run(self) -> Result<Measurement, Stop> {
        let Comparison {
            name,
            baseline,
            candidate,
            runs,
            needs_cores: asked_cores,
            attempts,
            expectation,
            mut structures,
            hint,
            mut machine,
        } = self;
        let incomplete = |missing: &str| {
            panic!(
                "the comparison \"{name}\" has no {missing}; \
                 add `.{missing}(...)` before `.check()`"
            )
        };
        let Some(Version {
            label: baseline,
            run: mut run_baseline,
        }) = baseline
        else {
            incomplete("baseline")
        };
        let Some(Version {
            label: candidate,
            run: mut run_candidate,
        }) = candidate
        else {
            incomplete("candidate")
        };
        let Some(expectation) = expectation else {
            panic!(
                "the comparison \"{name}\" makes no claim; add `.expect_candidate_faster(..)`, \
                 `.expect_candidate_slower(..)` or `.expect_no_speedup(..)` before `.check()`"
            )
        };
        let needs_cores = structures
            .iter()
            .filter_map(|s| match s {
                Structure::Parallel { min_workers, .. } => Some(*min_workers),
                Structure::Custom(_) => None,
            })
            .fold(asked_cores, usize::max);
        let ctx = Context {
            name: &name,
            baseline: &baseline,
            candidate: &candidate,
            expectation,
            needs: needs_cores,
            hint: hint.as_deref(),
            print: machine.print,
        };

        if needs_cores >= 2 && machine.cores < needs_cores {
            return Err(ctx.not_measured(machine.cores));
        }
        let probing = needs_cores >= 2;
        let has_structure = !structures.is_empty();
        let load_can_fake_a_pass = expectation.load_can_fake_a_pass()
            || structures.iter().any(|s| matches!(s, Structure::Custom(_)));
        // What the free cores let us judge.
        let mode_for = |free: Option<f64>| -> Mode {
            let Some(free) = free else { return Mode::Full };
            if probe::enough(free, needs_cores) {
                return Mode::Full;
            }
            let scalable = match expectation {
                Expectation::CandidateFaster(_) => has_structure && free >= MIN_SCALED_FREE,
                Expectation::NoSpeedup(_) => free >= MIN_FREE_FOR_NO_SPEEDUP,
                Expectation::CandidateSlower(_) => false,
            };
            if scalable { Mode::Scaled { free } } else { Mode::Busy }
        };

        let mut busy = 0;
        let mut most_free: f64 = 0.0;
        let mut remeasures_left = 1;
        let mut measurements = 0;
        let mut spoiled: Option<Judged> = None;
        loop {
            let first_probe = probing.then(|| (machine.probe)(needs_cores));
            if mode_for(first_probe) == Mode::Busy {
                busy += 1;
                most_free = most_free.max(first_probe.unwrap_or(0.0));
                if busy >= attempts {
                    return Err(ctx.busy(most_free, busy, spoiled.as_ref()));
                }
                thread::sleep(machine.pause_after(busy));
                continue;
            }

            // Pairs until the verdict is clear, or the most the check allows.
            let mut attempt = Attempt::new(first_probe);
            measurements += 1;
            let judged = loop {
                attempt.measure_pair(&mut run_baseline, &mut run_candidate, &mut structures);
                let pairs = attempt.pairs();
                let last = pairs >= runs;
                if probing && (last || pairs.is_multiple_of(PROBE_EVERY)) {
                    attempt.probed((machine.probe)(needs_cores));
                }
                if pairs < MIN_PAIRS && !last {
                    continue;
                }
                let mode = mode_for(attempt.lowest_free);
                let judged = Judged::new(&ctx, attempt, Requirement::new(expectation, needs_cores, mode), measurements);
                if last || judged.too_short() {
                    break judged;
                }
                if judged.clearly_met(expectation, CLEAR_MARGIN) {
                    // The cores must still be there after the last run for the verdict to stand.
                    let mut attempt = judged.attempt;
                    if probing {
                        attempt.probed((machine.probe)(needs_cores));
                    }
                    let mode = mode_for(attempt.lowest_free);
                    break Judged::new(&ctx, attempt, Requirement::new(expectation, needs_cores, mode), measurements);
                }
                attempt = judged.attempt;
            };
            if judged.too_short() {
                return Err(ctx.too_short(&judged));
            }
            match (judged.met(), judged.requirement.mode) {
                (true, Mode::Full | Mode::Scaled { .. }) => return Ok(ctx.passed(judged)),
                (true, Mode::Busy) if !load_can_fake_a_pass => return Ok(ctx.passed(judged)),
                (false, Mode::Full) if remeasures_left > 0 => remeasures_left -= 1,
                (false, Mode::Full) => return Err(ctx.failed(&judged)),
                (_, Mode::Busy | Mode::Scaled { .. }) => {
                    busy += 1;
                    most_free = most_free.max(judged.attempt.lowest_free.unwrap_or(0.0));
                    if busy >= attempts {
                        return Err(ctx.busy(most_free, busy, Some(&judged)));
                    }
                    spoiled = Some(judged);
                    thread::sleep(machine.pause_after(busy));
                }
            }
        }
    }
}

/// Why a comparison did not pass.
pub(crate) enum Stop {
    Failed(String),
    Inconclusive(String),
}

#[cfg(test)]
mod tests;

