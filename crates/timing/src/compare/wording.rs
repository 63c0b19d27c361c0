//! How a comparison's verdicts are written: the one `report:` line, and the sentences
//! of a failure or of an inconclusive measurement.

use super::judging::Judged;
use super::{Measurement, SHORTEST_RUN, Stop};
use super::expectation::Expectation;
use crate::report::{self, REPORT_PREFIX};

/// The fixed facts of one comparison, used to word its verdicts.
pub(crate) struct Context<'c> {
    pub(crate) name: &'c str,
    pub(crate) baseline: &'c str,
    pub(crate) candidate: &'c str,
    pub(crate) expectation: Expectation,
    pub(crate) needs: usize,
    pub(crate) hint: Option<&'c str>,
    pub(crate) print: bool,
}

impl Context<'_> {
    pub(crate) fn print(&self, line: &str) {
        if self.print {
            println!("{line}");
        }
    }

    /// `report: <name>: <baseline> <t>, <candidate> <t>: <ratio>, <required>[; ...]: <verdict>`
    pub(crate) fn report_line(&self, judged: &Judged, verdict: &str) -> String {
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
        if let Some(words) = judged.requirement.scaled_words(self.expectation) {
            line.push_str("; ");
            line.push_str(&words);
        }
        if let Some(run) = judged.shown_run() {
            for outcome in &run.outcomes {
                line.push_str("; ");
                line.push_str(&outcome.figures);
            }
        }
        if let Some(free) = judged.attempt.lowest_free {
            // "of 2", not "needs 2": a claim on 2 cores is judged in full from 1.7 free cores
            // (`probe::FREE_SHARE`) and on scaled requirements below, so a pass beside 1.68
            // free is no contradiction.
            line.push_str(&format!("; free cores {} of {}", report::cores(free), self.needs));
        }
        line.push_str(&format!("; {} pair{}", judged.attempt.pairs(), plural(judged.attempt.pairs())));
        if judged.measurements > 1 {
            line.push_str(&format!(", measured {} times", judged.measurements));
        }
        line.push_str(": ");
        line.push_str(verdict);
        line
    }

    pub(crate) fn figures_sentence(&self, judged: &Judged) -> String {
        let mut s = format!(
            "Measured {} {} and {} {} ({}), the fastest of {} interleaved run{} each",
            self.baseline,
            report::duration(judged.baseline_min),
            self.candidate,
            report::duration(judged.candidate_min),
            self.expectation.phrase(self.candidate, judged.ratio),
            judged.attempt.pairs(),
            plural(judged.attempt.pairs())
        );
        if let Some(free) = judged.attempt.lowest_free {
            s.push_str(&format!(", with at least {} of the {} cores it needs free", report::cores(free), self.needs));
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

    pub(crate) fn passed(&self, judged: Judged) -> Measurement {
        let line = self.report_line(&judged, "passed");
        self.print(&line);
        let shown = judged.shown_run();
        let activity = shown.and_then(|run| run.activity.clone());
        let candidate_usage = match shown {
            Some(run) => run.usage,
            None => judged.runs.first().map(|run| run.usage).unwrap_or_default(),
        };
        let scaled_to_free_cores = match judged.requirement.mode {
            super::judging::Mode::Scaled { free } => Some(free),
            super::judging::Mode::Full | super::judging::Mode::Busy => None,
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
            pairs: judged.attempt.pairs(),
            scaled_to_free_cores,
            report: line,
            baseline_runs: judged.attempt.baseline,
            candidate_runs: judged.attempt.candidate,
        }
    }

    pub(crate) fn failed(&self, judged: &Judged) -> Stop {
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

    pub(crate) fn too_short(&self, judged: &Judged) -> Stop {
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

    pub(crate) fn busy(&self, most_free: f64, attempts: usize, last: Option<&Judged>) -> Stop {
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

    pub(crate) fn not_measured(&self, cores: usize) -> Stop {
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

/// Joins clauses into sentences: each ends with a full stop, and each after the first
/// (which follows the comparison's name and a colon) starts with a capital.
pub(crate) fn sentences(clauses: &[String]) -> String {
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

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
