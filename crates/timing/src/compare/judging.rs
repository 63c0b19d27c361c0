//! Measuring interleaved pairs, and judging what they show against what the machine
//! allowed: the requirement (full, or scaled to the free cores found), the structure
//! run by run, and the figures of a whole attempt.

use std::time::Duration;

use super::expectation::Expectation;
use super::wording::{Context, plural};
use super::{PARALLEL_CPU_SHARE, Run, SHORTEST_RUN, Structure};
use crate::activity::ActivityReport;
use crate::usage::{Usage, measure};

/// Below this many free cores a claim that needs two or more is not judged at all: a
/// version on one core cannot show anything a second core would add.
pub(crate) const MIN_SCALED_FREE: f64 = 1.15;

/// A "no speed-up" claim judged on fewer free cores than it needs rests on CPU time
/// over wall time (a version without a GIL uses about as many cores as are free); it
/// needs this many free cores for that to stand out from 1.0.
pub(crate) const MIN_FREE_FOR_NO_SPEEDUP: f64 = 1.3;

/// In a scaled judgement, the share of the free cores' extra speed a parallel version
/// must show: a version split in equal halves waits for its slower half, and one of
/// the two threads shares its core with the neighbour.
const SCALED_SHARE: f64 = 0.5;

/// The least CPU over wall a parallel version must show to prove that two CPUs ran it
/// at the same moment: one thread can never exceed 1.0.
const MORE_THAN_ONE_CPU: f64 = 1.05;

/// How the machine let a claim be judged.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Mode {
    /// The cores the claim needs were free (or it needs only one): full requirements.
    Full,
    /// Fewer were free, but enough to judge on what they allow: scaled requirements.
    Scaled { free: f64 },
    /// Too few were free to judge: full requirements, and only a pass that load cannot
    /// fake stands.
    Busy,
}

/// What a run must show, for the mode the machine allowed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Requirement {
    /// The speed factor (as `Expectation::holds` reads it).
    pub(crate) factor: f64,
    /// For `expect_parallel`: workers at once, CPU over wall, and whether k distinct CPUs
    /// must be seen.
    pub(crate) parallel_cpu: f64,
    pub(crate) distinct_cpus: bool,
    /// For a "no speed-up" claim judged on fewer cores: the most CPU over wall any
    /// candidate run may show.
    pub(crate) cpu_cap: Option<f64>,
    pub(crate) mode: Mode,
}

impl Requirement {
    /// The requirement of `expectation` on `k` cores in `mode`.
    pub(crate) fn new(expectation: Expectation, k: usize, mode: Mode) -> Requirement {
        let full = Requirement {
            factor: expectation.factor(),
            parallel_cpu: PARALLEL_CPU_SHARE * k as f64,
            distinct_cpus: true,
            cpu_cap: None,
            mode,
        };
        let Mode::Scaled { free } = mode else { return full };
        // How much of the k-1 extra cores the machine left us.
        let share = ((free - 1.0) / (k.max(2) - 1) as f64).clamp(0.0, 1.0) * SCALED_SHARE;
        match expectation {
            Expectation::CandidateFaster(f) => Requirement {
                factor: 1.0 + (f - 1.0).max(0.0) * share,
                parallel_cpu: (1.0 + (full.parallel_cpu - 1.0) * share).max(MORE_THAN_ONE_CPU),
                distinct_cpus: false,
                ..full
            },
            Expectation::NoSpeedup(_) => Requirement { cpu_cap: Some(1.0 + (free - 1.0) / 2.0), ..full },
            Expectation::CandidateSlower(_) => full,
        }
    }

    /// Words for the report line when the requirement was scaled.
    pub(crate) fn scaled_words(&self, expectation: Expectation) -> Option<String> {
        let Mode::Scaled { free } = self.mode else { return None };
        Some(match (expectation, self.cpu_cap) {
            (_, Some(cap)) => format!("judged on {free:.2} free cores: CPU/wall at most {cap:.2} in every run"),
            _ => format!("judged on {free:.2} free cores: requirement scaled to {:.2}x", self.factor),
        })
    }
}

/// One measurement: interleaved pairs and the probes around them.
pub(crate) struct Attempt {
    pub(crate) baseline: Vec<Duration>,
    pub(crate) candidate: Vec<Duration>,
    /// One entry per candidate run.
    pub(crate) runs: Vec<RunRecord>,
    /// The fewest free cores any probe found; `None` when the claim needs one core.
    pub(crate) lowest_free: Option<f64>,
}

impl Attempt {
    pub(crate) fn new(first_probe: Option<f64>) -> Attempt {
        Attempt { baseline: Vec::new(), candidate: Vec::new(), runs: Vec::new(), lowest_free: first_probe }
    }

    /// Notes a probe's answer.
    pub(crate) fn probed(&mut self, free: f64) {
        self.lowest_free = Some(self.lowest_free.map_or(free, |low| low.min(free)));
    }

    /// Times one pair: the baseline, then the candidate (its activity cleared first),
    /// and records what the candidate run showed.
    pub(crate) fn measure_pair(&mut self, baseline: &mut Run<'_>, candidate: &mut Run<'_>, structures: &mut [Structure<'_>]) {
        let ((), usage) = measure(&mut *baseline);
        self.baseline.push(usage.wall);
        for structure in structures.iter() {
            if let Structure::Parallel { activity, .. } = structure {
                activity.clear();
            }
        }
        let ((), usage) = measure(&mut *candidate);
        self.candidate.push(usage.wall);
        self.runs.push(RunRecord::after(structures, usage));
    }

    pub(crate) fn pairs(&self) -> usize {
        self.candidate.len()
    }
}

/// What one candidate run showed: its cost, its workers, and what the check's own
/// structural requirements said of it right after it.
pub(crate) struct RunRecord {
    pub(crate) usage: Usage,
    pub(crate) activity: Option<(ActivityReport, usize)>,
    pub(crate) custom: Vec<Outcome>,
}

impl RunRecord {
    fn after(structures: &mut [Structure<'_>], usage: Usage) -> RunRecord {
        let mut record = RunRecord { usage, activity: None, custom: Vec::new() };
        for structure in structures.iter_mut() {
            match structure {
                Structure::Parallel { activity, min_workers } => {
                    record.activity.get_or_insert((activity.report(), *min_workers));
                }
                Structure::Custom(check) => record.custom.push(match check(&usage) {
                    Ok(figures) => Outcome { figures, problem: None },
                    Err(problem) => Outcome { figures: problem.clone(), problem: Some(problem) },
                }),
            }
        }
        record
    }

    /// Every requirement's outcome on this run.
    fn outcomes(&self, req: &Requirement) -> Vec<Outcome> {
        let mut outcomes = Vec::new();
        if let Some((report, k)) = &self.activity {
            outcomes.push(parallel_outcome(report, &self.usage, *k, req));
        }
        outcomes.extend(self.custom.iter().cloned());
        if let Some(cap) = req.cpu_cap {
            let cpu = self.usage.cpu_over_wall();
            outcomes.push(Outcome {
                figures: format!("CPU/wall {cpu:.2}, at most {cap:.2}"),
                problem: (cpu > cap).then(|| {
                    format!(
                        "CPU time over wall time was {cpu:.2}, more than the {cap:.2} one thread at a time could use \
                         on the free cores: the threads computed at the same moment"
                    )
                }),
            });
        }
        outcomes
    }
}

/// One requirement's verdict on one run: figures for the report line and, if it
/// did not hold, a sentence saying why.
#[derive(Clone)]
pub(crate) struct Outcome {
    pub(crate) figures: String,
    pub(crate) problem: Option<String>,
}

/// Did `report` show `k` workers computing at once? Load can lower every figure used
/// here, never raise it: a sequential version stays at 1 worker and CPU/wall 1.0.
pub(crate) fn parallel_outcome(report: &ActivityReport, usage: &Usage, k: usize, req: &Requirement) -> Outcome {
    let worker_cpu_over_wall = match report.worker_cpu {
        Some(cpu) if !usage.wall.is_zero() => cpu.as_secs_f64() / usage.wall.as_secs_f64(),
        _ => 0.0,
    };
    let cpu_over_wall = usage.cpu_over_wall().max(worker_cpu_over_wall);
    let required_cpu = req.parallel_cpu;
    let m = report.max_concurrent;
    let cpus = if report.cpus.is_empty() {
        "CPUs unknown".to_string()
    } else {
        format!("on {} CPU{}", report.distinct_cpus, plural(report.distinct_cpus))
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
        return Outcome { figures, problem: Some(problem) };
    }
    // The first problem found is the cause; the later ones would only be its echoes.
    let problem = if m <= 1 {
        Some(format!("the jobs ran one after another: at most 1 worker ran at once; expected at least {k}"))
    } else if m < k {
        Some(format!("at most {m} workers ran at once; expected at least {k}"))
    } else if cpu_over_wall < required_cpu {
        Some(format!(
            "{m} workers ran at once, but CPU time over wall time was {cpu_over_wall:.2}, \
             expected at least {required_cpu:.2}: the workers took turns (waiting on a lock \
             or on each other?) instead of computing at the same time"
        ))
    } else if req.distinct_cpus && !report.cpus.is_empty() && report.distinct_cpus < k {
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

/// A run's outcomes against one requirement.
pub(crate) struct JudgedRun {
    pub(crate) usage: Usage,
    pub(crate) activity: Option<ActivityReport>,
    pub(crate) outcomes: Vec<Outcome>,
}

impl JudgedRun {
    pub(crate) fn problems(&self) -> usize {
        self.outcomes.iter().filter(|o| o.problem.is_some()).count()
    }
}

/// An attempt with its figures worked out against a requirement.
pub(crate) struct Judged {
    pub(crate) attempt: Attempt,
    pub(crate) requirement: Requirement,
    pub(crate) baseline_min: Duration,
    pub(crate) candidate_min: Duration,
    pub(crate) ratio: f64,
    pub(crate) speed_ok: bool,
    pub(crate) runs: Vec<JudgedRun>,
    /// The candidate run whose structure the report shows.
    pub(crate) shown: Option<usize>,
    pub(crate) structure_ok: bool,
    pub(crate) measurements: usize,
}

impl Judged {
    pub(crate) fn new(ctx: &Context<'_>, attempt: Attempt, requirement: Requirement, measurements: usize) -> Judged {
        let baseline_min = attempt.baseline.iter().copied().min().unwrap_or_default();
        let candidate_min = attempt.candidate.iter().copied().min().unwrap_or_default();
        let ratio = ctx.expectation.ratio(baseline_min, candidate_min);
        let runs: Vec<JudgedRun> = attempt
            .runs
            .iter()
            .map(|r| JudgedRun {
                usage: r.usage,
                activity: r.activity.as_ref().map(|(report, _)| report.clone()),
                outcomes: r.outcomes(&requirement),
            })
            .collect();
        // A cap holds in every run; every other requirement in at least one (load can
        // spoil a run, never fake one).
        let capped = requirement.cpu_cap.is_some();
        let shown = if capped {
            runs.iter().position(|run| run.problems() > 0).or(runs.len().checked_sub(1))
        } else {
            runs.iter().position(|run| run.problems() == 0).or_else(|| {
                let fewest = runs.iter().map(JudgedRun::problems).min()?;
                runs.iter().rposition(|run| run.problems() == fewest)
            })
        };
        let structure_ok = match capped {
            true => runs.iter().all(|run| run.problems() == 0),
            false => shown.is_some_and(|i| runs[i].problems() == 0),
        };
        Judged {
            speed_ok: ctx.expectation.with_factor(requirement.factor).holds(ratio),
            structure_ok,
            requirement,
            attempt,
            baseline_min,
            candidate_min,
            ratio,
            runs,
            shown,
            measurements,
        }
    }

    pub(crate) fn met(&self) -> bool {
        self.speed_ok && self.structure_ok
    }

    /// Met with room to spare (`margin` of the factor): no further pair would change it.
    pub(crate) fn clearly_met(&self, expectation: Expectation, margin: f64) -> bool {
        let f = self.requirement.factor;
        let clear = match expectation {
            Expectation::CandidateSlower(_) | Expectation::CandidateFaster(_) => self.ratio >= f * (1.0 + margin),
            Expectation::NoSpeedup(_) => self.ratio <= f / (1.0 + margin),
        };
        self.met() && clear
    }

    pub(crate) fn too_short(&self) -> bool {
        self.baseline_min < SHORTEST_RUN || self.candidate_min < SHORTEST_RUN
    }

    pub(crate) fn shown_run(&self) -> Option<&JudgedRun> {
        self.shown.and_then(|i| self.runs.get(i))
    }

    pub(crate) fn has_structure(&self) -> bool {
        self.shown_run().is_some_and(|run| !run.outcomes.is_empty())
    }
}
