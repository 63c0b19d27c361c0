//! The comparison every timing check goes through: two versions timed interleaved,
//! the minimum of each compared, a structural requirement beside the speed claim, a
//! free-core probe around the runs, and one verdict printed as one `report:` line.

use std::thread;
use std::time::Duration;

use crate::activity::{Activity, ActivityReport};
use crate::exclusive::Exclusive;
use crate::probe::{self, available_cores, free_cores_among};
use crate::report::{self, REPORT_PREFIX};
use crate::usage::{Usage, measure};

/// Pairs of runs by default. Each version's minimum needs only one undisturbed run;
/// five pairs give a busy neighbour five chances to leave one alone while a check of
/// two 100 ms versions still takes about a second.
const DEFAULT_RUNS: usize = 5;

/// Attempts by default when the probe finds the cores busy.
const DEFAULT_ATTEMPTS: usize = 3;

/// Pause after a busy attempt, multiplied by the number of busy attempts so far:
/// a neighbour's compile step often lasts a second or two.
const BUSY_PAUSE: Duration = Duration::from_millis(400);

/// A run faster than this cannot be timed meaningfully (or did no work at all).
const SHORTEST_RUN: Duration = Duration::from_micros(1);

/// Share of `k` cores a `k`-worker parallel version must keep busy (CPU time over wall
/// time at least `0.65 * k`): a sequential version cannot exceed 1.0, a real one on
/// free cores gets close to `k`, and the gap leaves room for start-up and a neighbour.
const PARALLEL_CPU_SHARE: f64 = 0.65;

/// Starts a comparison named `name` (the name opens the report line and every message).
#[must_use = "a comparison measures nothing until `.check()` is called"]
pub fn compare<'a>(name: impl Into<String>) -> Comparison<'a> {
    Comparison {
        name: name.into(),
        baseline: None,
        candidate: None,
        runs: DEFAULT_RUNS,
        needs_cores: 1,
        attempts: DEFAULT_ATTEMPTS,
        expectation: None,
        structures: Vec::new(),
        hint: None,
        machine: Machine::real(),
    }
}

/// What the candidate is claimed to do compared with the baseline, on the minimum
/// time of each.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Expectation {
    /// `candidate / baseline >= factor`.
    CandidateSlower(f64),
    /// `baseline / candidate >= factor`.
    CandidateFaster(f64),
    /// `baseline / candidate <= factor`.
    NoSpeedup(f64),
}

impl Expectation {
    /// The ratio this expectation is stated in: candidate over baseline for
    /// `CandidateSlower`, baseline over candidate (the speed-up) otherwise.
    pub fn ratio(&self, baseline: Duration, candidate: Duration) -> f64 {
        let (b, c) = (baseline.as_secs_f64(), candidate.as_secs_f64());
        match self {
            Expectation::CandidateSlower(_) => c / b,
            Expectation::CandidateFaster(_) | Expectation::NoSpeedup(_) => b / c,
        }
    }

    /// Whether `ratio` (as given by [`Expectation::ratio`]) meets the expectation.
    pub fn holds(&self, ratio: f64) -> bool {
        match *self {
            Expectation::CandidateSlower(f) | Expectation::CandidateFaster(f) => ratio >= f,
            Expectation::NoSpeedup(f) => ratio <= f,
        }
    }

    /// A busy machine can make a candidate look slower or no faster, never faster.
    fn load_can_fake_a_pass(&self) -> bool {
        !matches!(self, Expectation::CandidateFaster(_))
    }

    fn phrase(&self, candidate: &str, ratio: f64) -> String {
        match self {
            Expectation::CandidateSlower(_) => format!("{candidate} cost {}", report::ratio(ratio)),
            _ => format!("speed-up {}", report::ratio(ratio)),
        }
    }

    fn outcome(&self, ratio: f64) -> String {
        match self {
            Expectation::CandidateSlower(_) => format!("it took {} as long", report::ratio(ratio)),
            _ => format!("the speed-up was {}", report::ratio(ratio)),
        }
    }

    fn required(&self) -> String {
        match *self {
            Expectation::CandidateSlower(f) | Expectation::CandidateFaster(f) => {
                format!("required at least {}", report::factor(f))
            }
            Expectation::NoSpeedup(f) => format!("required at most {}", report::factor(f)),
        }
    }

    fn claim(&self, baseline: &str, candidate: &str) -> String {
        match *self {
            Expectation::CandidateSlower(f) => {
                format!(
                    "{candidate} to take at least {} as long as {baseline}",
                    report::factor(f)
                )
            }
            Expectation::CandidateFaster(f) => {
                format!(
                    "{candidate} to be at least {} faster than {baseline}",
                    report::factor(f)
                )
            }
            Expectation::NoSpeedup(f) => {
                format!(
                    "{candidate} to be at most {} faster than {baseline}",
                    report::factor(f)
                )
            }
        }
    }

    fn default_hint(&self, baseline: &str, candidate: &str) -> String {
        match self {
            Expectation::CandidateSlower(_) => format!(
                "Look at whether {candidate} really pays the cost this check is about, \
                 and {baseline} avoids it."
            ),
            Expectation::CandidateFaster(_) => format!(
                "Look at whether {candidate} really does less, or shares the work out, \
                 compared with {baseline}."
            ),
            Expectation::NoSpeedup(_) => format!(
                "Look at whether {candidate} really runs one piece of work at a time, \
                 the way {baseline} does."
            ),
        }
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
type Run<'a> = Box<dyn FnMut() + 'a>;

/// A structural requirement of the check's own (see [`Comparison::structure`]).
type StructureCheck<'a> = Box<dyn FnMut(&Usage) -> Result<String, String> + 'a>;

/// The free-core probe: how many of `n` cores are free.
type Probe<'a> = Box<dyn FnMut(usize) -> f64 + 'a>;

struct Version<'a> {
    label: String,
    run: Run<'a>,
}

enum Structure<'a> {
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

    /// How many interleaved pairs (baseline, candidate) to time; default 5, at least 1.
    pub fn runs(mut self, pairs: usize) -> Self {
        self.runs = pairs.max(1);
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
            runs,
            hint: hint.as_deref(),
            print: machine.print,
        };

        if needs_cores >= 2 && machine.cores < needs_cores {
            return Err(ctx.not_measured(machine.cores));
        }
        let probing = needs_cores >= 2;
        let load_can_fake_a_pass = expectation.load_can_fake_a_pass()
            || structures.iter().any(|s| matches!(s, Structure::Custom(_)));

        let mut busy = 0;
        let mut most_free: f64 = 0.0;
        let mut remeasures_left = 1;
        let mut measurements = 0;
        let mut spoiled: Option<Judged> = None;
        loop {
            let gate = if probing {
                let free = (machine.probe)(needs_cores);
                if !probe::enough(free, needs_cores) {
                    busy += 1;
                    most_free = most_free.max(free);
                    if busy >= attempts {
                        return Err(ctx.busy(most_free, busy, spoiled.as_ref()));
                    }
                    thread::sleep(machine.pause_after(busy));
                    continue;
                }
                Some(free)
            } else {
                None
            };

            let probes = gate.map(|gate| Probing {
                needs: needs_cores,
                gate,
                probe: &mut machine.probe,
            });
            let attempt = measure_pairs(
                runs,
                &mut run_baseline,
                &mut run_candidate,
                &mut structures,
                probes,
            );
            measurements += 1;
            let judged = Judged::new(&ctx, attempt, measurements);
            if judged.too_short() {
                return Err(ctx.too_short(&judged));
            }
            let cores_free = judged
                .attempt
                .lowest_free
                .is_none_or(|f| probe::enough(f, needs_cores));
            match (judged.met(), cores_free) {
                (true, true) => return Ok(ctx.passed(judged)),
                (true, false) if !load_can_fake_a_pass => return Ok(ctx.passed(judged)),
                (false, true) if remeasures_left > 0 => remeasures_left -= 1,
                (false, true) => return Err(ctx.failed(&judged)),
                (_, false) => {
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
enum Stop {
    Failed(String),
    Inconclusive(String),
}

/// One measurement: `runs` interleaved pairs and the probes around them.
struct Attempt {
    baseline: Vec<Duration>,
    candidate: Vec<Duration>,
    /// One entry per candidate run.
    structure: Vec<RunStructure>,
    lowest_free: Option<f64>,
}

/// What the structural requirements found in one candidate run.
struct RunStructure {
    usage: Usage,
    outcomes: Vec<Outcome>,
    activity: Option<ActivityReport>,
}

impl RunStructure {
    fn problems(&self) -> usize {
        self.outcomes.iter().filter(|o| o.problem.is_some()).count()
    }
}

/// One requirement's verdict on one run: figures for the report line and, if it
/// did not hold, a sentence saying why.
struct Outcome {
    figures: String,
    problem: Option<String>,
}

/// The probe to run between and after the pairs, and what it found before them.
struct Probing<'p, 'a> {
    needs: usize,
    gate: f64,
    probe: &'p mut Probe<'a>,
}

fn measure_pairs(
    runs: usize,
    baseline: &mut Run<'_>,
    candidate: &mut Run<'_>,
    structures: &mut [Structure<'_>],
    mut probing: Option<Probing<'_, '_>>,
) -> Attempt {
    let mut attempt = Attempt {
        baseline: Vec::with_capacity(runs),
        candidate: Vec::with_capacity(runs),
        structure: Vec::with_capacity(runs),
        lowest_free: probing.as_ref().map(|p| p.gate),
    };
    let mut probe_again = |attempt: &mut Attempt| {
        if let Some(p) = probing.as_mut() {
            let free = (p.probe)(p.needs);
            attempt.lowest_free = attempt.lowest_free.map(|low| low.min(free));
        }
    };
    for pair in 0..runs {
        if pair > 0 {
            probe_again(&mut attempt);
        }
        let ((), usage) = measure(&mut *baseline);
        attempt.baseline.push(usage.wall);
        for structure in structures.iter() {
            if let Structure::Parallel { activity, .. } = structure {
                activity.clear();
            }
        }
        let ((), usage) = measure(&mut *candidate);
        attempt.candidate.push(usage.wall);
        attempt.structure.push(evaluate(structures, usage));
    }
    probe_again(&mut attempt);
    attempt
}

fn evaluate(structures: &mut [Structure<'_>], usage: Usage) -> RunStructure {
    let mut run = RunStructure {
        usage,
        outcomes: Vec::new(),
        activity: None,
    };
    for structure in structures.iter_mut() {
        let outcome = match structure {
            Structure::Parallel {
                activity,
                min_workers,
            } => {
                let report = activity.report();
                let outcome = parallel_outcome(&report, &usage, *min_workers);
                run.activity.get_or_insert(report);
                outcome
            }
            Structure::Custom(check) => match check(&usage) {
                Ok(figures) => Outcome {
                    figures,
                    problem: None,
                },
                Err(problem) => Outcome {
                    figures: problem.clone(),
                    problem: Some(problem),
                },
            },
        };
        run.outcomes.push(outcome);
    }
    run
}

/// Did `report` show `k` workers computing at once? Load can lower every figure used
/// here, never raise it: a sequential version stays at 1 worker and CPU/wall 1.0.
fn parallel_outcome(report: &ActivityReport, usage: &Usage, k: usize) -> Outcome {
    let worker_cpu_over_wall = match report.worker_cpu {
        Some(cpu) if !usage.wall.is_zero() => cpu.as_secs_f64() / usage.wall.as_secs_f64(),
        _ => 0.0,
    };
    let cpu_over_wall = usage.cpu_over_wall().max(worker_cpu_over_wall);
    let required_cpu = k as f64 * PARALLEL_CPU_SHARE;
    let m = report.max_concurrent;
    let cpus = if report.cpus.is_empty() {
        "CPUs unknown".to_string()
    } else {
        format!(
            "on {} CPU{}",
            report.distinct_cpus,
            plural(report.distinct_cpus)
        )
    };
    let figures = format!(
        "{m} worker{} at once {cpus}, CPU/wall {cpu_over_wall:.2}, \
         required {k} at once and CPU/wall at least {required_cpu:.2}",
        plural(m)
    );
    if report.workers == 0 {
        let problem = "no worker was recorded: each job must run inside `activity.enter()` \
                       (or send its interval to `activity.record`) for the check to see it"
            .to_string();
        return Outcome {
            figures,
            problem: Some(problem),
        };
    }
    // The first problem found is the cause; the later ones would only be its echoes.
    let problem = if m <= 1 {
        Some(format!(
            "the jobs ran one after another: at most 1 worker ran at once; expected at least {k}"
        ))
    } else if m < k {
        Some(format!(
            "at most {m} workers ran at once; expected at least {k}"
        ))
    } else if cpu_over_wall < required_cpu {
        Some(format!(
            "{m} workers ran at once, but CPU time over wall time was {cpu_over_wall:.2}, \
             expected at least {required_cpu:.2}: the workers took turns (waiting on a lock \
             or on each other?) instead of computing at the same time"
        ))
    } else if !report.cpus.is_empty() && report.distinct_cpus < k {
        let seen: Vec<String> = report.cpus.iter().map(usize::to_string).collect();
        Some(format!(
            "the workers were seen on {} CPU{} ({}); expected at least {k}",
            report.distinct_cpus,
            plural(report.distinct_cpus),
            seen.join(", ")
        ))
    } else {
        None
    };
    Outcome { figures, problem }
}

/// Joins clauses into sentences: each ends with a full stop, and each after the first
/// (which follows the comparison's name and a colon) starts with a capital.
fn sentences(clauses: &[String]) -> String {
    let mut text = String::new();
    for (i, clause) in clauses.iter().enumerate() {
        if i > 0 {
            text.push(' ');
            let mut chars = clause.chars();
            text.extend(chars.next().map(|c| c.to_ascii_uppercase()));
            text.push_str(chars.as_str());
        } else {
            text.push_str(clause);
        }
        text.push('.');
    }
    text
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The fixed facts of one comparison, used to word its verdicts.
struct Context<'c> {
    name: &'c str,
    baseline: &'c str,
    candidate: &'c str,
    expectation: Expectation,
    needs: usize,
    runs: usize,
    hint: Option<&'c str>,
    print: bool,
}

/// An attempt with its figures worked out.
struct Judged {
    attempt: Attempt,
    baseline_min: Duration,
    candidate_min: Duration,
    ratio: f64,
    speed_ok: bool,
    /// The candidate run whose structure the report shows.
    shown: Option<usize>,
    structure_ok: bool,
    measurements: usize,
}

impl Judged {
    fn new(ctx: &Context<'_>, attempt: Attempt, measurements: usize) -> Judged {
        let baseline_min = attempt.baseline.iter().copied().min().unwrap_or_default();
        let candidate_min = attempt.candidate.iter().copied().min().unwrap_or_default();
        let ratio = ctx.expectation.ratio(baseline_min, candidate_min);
        // Show the first run that met every requirement, or else the one that missed
        // the fewest (the latest of those).
        let shown = attempt
            .structure
            .iter()
            .position(|run| run.problems() == 0)
            .or_else(|| {
                let fewest = attempt.structure.iter().map(RunStructure::problems).min()?;
                attempt
                    .structure
                    .iter()
                    .rposition(|run| run.problems() == fewest)
            });
        let structure_ok = shown.is_some_and(|i| attempt.structure[i].problems() == 0);
        Judged {
            speed_ok: ctx.expectation.holds(ratio),
            structure_ok,
            attempt,
            baseline_min,
            candidate_min,
            ratio,
            shown,
            measurements,
        }
    }

    fn met(&self) -> bool {
        self.speed_ok && self.structure_ok
    }

    fn too_short(&self) -> bool {
        self.baseline_min < SHORTEST_RUN || self.candidate_min < SHORTEST_RUN
    }

    fn shown_run(&self) -> Option<&RunStructure> {
        self.shown.and_then(|i| self.attempt.structure.get(i))
    }

    fn has_structure(&self) -> bool {
        self.shown_run().is_some_and(|run| !run.outcomes.is_empty())
    }
}

impl Context<'_> {
    fn print(&self, line: &str) {
        if self.print {
            println!("{line}");
        }
    }

    /// `report: <name>: <baseline> <t>, <candidate> <t>: <ratio>, <required>[; ...]: <verdict>`
    fn report_line(&self, judged: &Judged, verdict: &str) -> String {
        let mut line = format!(
            "{REPORT_PREFIX}{}: {} {}, {} {}: {}, {}",
            self.name,
            self.baseline,
            report::duration(judged.baseline_min),
            self.candidate,
            report::duration(judged.candidate_min),
            self.expectation.phrase(self.candidate, judged.ratio),
            self.expectation.required()
        );
        if let Some(run) = judged.shown_run() {
            for outcome in &run.outcomes {
                line.push_str("; ");
                line.push_str(&outcome.figures);
            }
        }
        if let Some(free) = judged.attempt.lowest_free {
            line.push_str(&format!(
                "; free cores {} (needs {})",
                report::cores(free),
                self.needs
            ));
        }
        if judged.measurements > 1 {
            line.push_str(&format!("; measured {} times", judged.measurements));
        }
        line.push_str(": ");
        line.push_str(verdict);
        line
    }

    fn figures_sentence(&self, judged: &Judged) -> String {
        let mut s = format!(
            "Measured {} {} and {} {} ({}), the fastest of {} interleaved run{} each",
            self.baseline,
            report::duration(judged.baseline_min),
            self.candidate,
            report::duration(judged.candidate_min),
            self.expectation.phrase(self.candidate, judged.ratio),
            self.runs,
            plural(self.runs)
        );
        if let Some(free) = judged.attempt.lowest_free {
            s.push_str(&format!(
                ", with {} cores needed and at least {} free",
                self.needs,
                report::cores(free)
            ));
        }
        if judged.measurements > 1 {
            s.push_str(&format!(", measured {} times", judged.measurements));
        }
        if judged.has_structure()
            && let Some(run) = judged.shown_run()
        {
            let figures: Vec<&str> = run.outcomes.iter().map(|o| o.figures.as_str()).collect();
            s.push_str(&format!(
                "; the closest run of {}: {}",
                self.candidate,
                figures.join("; ")
            ));
        }
        s.push('.');
        s
    }

    fn passed(&self, judged: Judged) -> Measurement {
        let line = self.report_line(&judged, "passed");
        self.print(&line);
        let shown = judged.shown_run();
        let activity = shown.and_then(|run| run.activity.clone());
        let candidate_usage = match shown {
            Some(run) => run.usage,
            None => judged
                .attempt
                .structure
                .first()
                .map(|run| run.usage)
                .unwrap_or_default(),
        };
        Measurement {
            name: self.name.to_string(),
            baseline_label: self.baseline.to_string(),
            candidate_label: self.candidate.to_string(),
            baseline: judged.baseline_min,
            candidate: judged.candidate_min,
            free_cores: judged.attempt.lowest_free,
            activity,
            candidate_usage,
            expectation: self.expectation,
            measurements: judged.measurements,
            report: line,
            baseline_runs: judged.attempt.baseline,
            candidate_runs: judged.attempt.candidate,
        }
    }

    fn failed(&self, judged: &Judged) -> Stop {
        self.print(&self.report_line(judged, "failed"));
        let mut message = format!("{}: ", self.name);
        let mut problems = Vec::new();
        if !judged.speed_ok {
            problems.push(format!(
                "expected {}, but {}",
                self.expectation.claim(self.baseline, self.candidate),
                self.expectation.outcome(judged.ratio)
            ));
        }
        if !judged.structure_ok
            && let Some(run) = judged.shown_run()
        {
            problems.extend(run.outcomes.iter().filter_map(|o| o.problem.clone()));
        }
        message.push_str(&sentences(&problems));
        message.push(' ');
        message.push_str(&self.figures_sentence(judged));
        message.push(' ');
        let parallel_failed = !judged.structure_ok;
        let hint = match self.hint {
            Some(hint) => hint.to_string(),
            None if parallel_failed => format!(
                "Look at whether {} really starts all its workers before waiting for any of them, \
                 and whether they share a lock around the work.",
                self.candidate
            ),
            None => self.expectation.default_hint(self.baseline, self.candidate),
        };
        message.push_str(&hint);
        Stop::Failed(message)
    }

    fn too_short(&self, judged: &Judged) -> Stop {
        self.print(&self.report_line(judged, "failed"));
        Stop::Failed(format!(
            "{}: a run took under {}, too short to time: {} took {} and {} {}. \
             Check that both versions really do the work, and size it with \
             `timing::size_work` so one run takes about 100 ms.",
            self.name,
            report::duration(SHORTEST_RUN),
            self.baseline,
            report::duration(judged.baseline_min),
            self.candidate,
            report::duration(judged.candidate_min),
        ))
    }

    fn busy(&self, most_free: f64, attempts: usize, last: Option<&Judged>) -> Stop {
        let found = format!(
            "needs {} free cores, found {} after {attempts} attempt{}",
            self.needs,
            report::cores(most_free),
            plural(attempts)
        );
        let message = match last {
            Some(judged) => {
                self.print(&self.report_line(judged, "inconclusive"));
                format!(
                    "{}: {found}: the machine is busy, so this proves nothing: {} Re-run the \
                     check when the machine is quieter.",
                    self.name,
                    self.figures_sentence(judged)
                )
            }
            None => {
                self.print(&format!(
                    "{REPORT_PREFIX}{}: not measured: {found}: inconclusive",
                    self.name
                ));
                format!(
                    "{}: {found}: the machine is busy; re-run the check when it is quieter",
                    self.name
                )
            }
        };
        Stop::Inconclusive(message)
    }

    fn not_measured(&self, cores: usize) -> Stop {
        let what = format!(
            "needs {} cores: not measured (this machine gives this process {cores})",
            self.needs
        );
        self.print(&format!(
            "{REPORT_PREFIX}{}: {what}: inconclusive",
            self.name
        ));
        Stop::Inconclusive(format!(
            "{}: {what}; run the check on a machine with at least {} cores",
            self.name, self.needs
        ))
    }
}

#[cfg(test)]
mod tests;
