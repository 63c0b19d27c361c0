//! How results read: one line per check with its verdict and time, the reports and
//! the explanation under it, a heading per exercise and a summary. Colour and widths
//! come from `terminal`; what a verdict counts as comes from its `Class`.

use std::time::Duration;

use course::{Class, Exercise, Step, checks_file};

use crate::run::{CheckResult, Outcome};
use crate::terminal::{bold, dim, green, pad, progress_bar, red, yellow};

/// The width of the verdict column: the longest label, "not implemented yet", and one.
const LABEL_WIDTH: usize = 20;

/// The heading printed before an exercise's checks; with `place = Some((i, n))` in a
/// longer run it says how far along the run is.
pub fn exercise_heading(exercise: &Exercise, place: Option<(usize, usize)>) -> String {
    let heading = bold(&format!("{} · {}", exercise.slug, exercise.title));
    match place {
        Some((i, n)) if n > 1 => format!("{heading}  {}", progress_bar(i, n)),
        _ => heading,
    }
}

/// The mark and the coloured label of a verdict.
fn mark_and_label(check: &CheckResult) -> (String, String) {
    let label = check.verdict.label();
    match check.verdict.class() {
        Class::Pass => (green("✔"), green(label)),
        Class::Fail => (red("✘"), red(label)),
        Class::NotMeasured => (yellow("?"), yellow(label)),
    }
}

/// A duration as the runner prints it: `0.4 s`, `12.3 s`.
pub fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// The line (and reports and explanation) for one finished check.
pub fn check_lines(check: &CheckResult) -> String {
    let (mark, label) = mark_and_label(check);
    // Every check says how long it took, so a learner sees where the time goes.
    let mut out = format!(
        "  {mark} {} {}  ({})\n",
        pad(&label, LABEL_WIDTH),
        checks_file::words(&check.name),
        seconds(check.elapsed)
    );
    for report in &check.reports {
        out.push_str(&format!("      {report}\n"));
    }
    if let Some(why) = check.verdict.explanation(&check.name) {
        for line in why.lines() {
            out.push_str(&format!("      {line}\n"));
        }
    }
    out
}

/// `step 2 of 5: pool (the pool: …)`, before a step's checks; nothing for a chapter of
/// one step.
pub fn step_heading(exercise: &Exercise, index: usize, step: &Step) -> Option<String> {
    let n = exercise.steps.len();
    (n > 1).then(|| {
        let about = if step.about.is_empty() { String::new() } else { format!(" · {}", step.about) };
        bold(&format!("  step {} of {n}: {}{about}", index + 1, step.name))
    })
}

/// After a step that did not pass, the steps not checked yet, in one line.
pub fn later_steps(exercise: &Exercise, steps_run: usize) -> Option<String> {
    let later: Vec<&str> = exercise.steps.iter().skip(steps_run).map(|s| s.name.as_str()).collect();
    (!later.is_empty()).then(|| {
        dim(&format!("  next, once this step passes: {} (not checked yet)", later.join(", ")))
    })
}

/// One line after an exercise in a longer run: its checks' time and the whole time.
pub fn exercise_total(exercise: &Exercise, checks: &[CheckResult], whole: Duration) -> String {
    let in_checks: Duration = checks.iter().map(|c| c.elapsed).sum();
    format!(
        "  {}: {} check(s) in {}, {} with its build",
        exercise.slug,
        checks.len(),
        seconds(in_checks),
        seconds(whole)
    )
}

/// The lines for a crate that did not compile: cargo's own diagnostics were already
/// shown as they came; this says what it means.
pub fn does_not_compile(exercise: &Exercise) -> String {
    format!(
        "  {} {}  the code above does not compile yet (cargo's messages are unedited); fix the first error and check again\n      exercises/{}/src\n",
        red("✘"),
        red("does not compile"),
        exercise.slug
    )
}

/// Counts of verdicts over some outcomes, for the summary line.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub not_measured: usize,
    pub not_compiling: usize,
}

impl Tally {
    /// Adds an exercise's outcome.
    pub fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::DoesNotCompile { .. } => self.not_compiling += 1,
            Outcome::Ran { checks, .. } => {
                for c in checks {
                    match c.verdict.class() {
                        Class::Pass => self.passed += 1,
                        Class::Fail => self.failed += 1,
                        Class::NotMeasured => self.not_measured += 1,
                    }
                }
            }
        }
    }

    /// `3 passed, 1 failed` (and the rarer counts only when there are any).
    pub fn summary(&self) -> String {
        let mut parts = vec![format!("{} passed", self.passed), format!("{} failed", self.failed)];
        if self.not_measured > 0 {
            parts.push(format!("{} inconclusive", self.not_measured));
        }
        if self.not_compiling > 0 {
            parts.push(format!("{} not compiling", self.not_compiling));
        }
        parts.join(", ")
    }
}
