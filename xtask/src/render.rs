//! How results look in a terminal: one line per check, the explanation under it,
//! colour only on a terminal and never with `NO_COLOR`.

use std::io::IsTerminal;

use crate::checks::{CheckResult, Outcome};
use crate::course::Exercise;
use crate::verdict::Verdict;

/// Colour when stdout is a terminal and `NO_COLOR` is unset or empty (no-color.org).
pub fn color_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

fn paint(code: &str, text: &str) -> String {
    if color_enabled() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Bold text, for headings.
pub fn bold(text: &str) -> String {
    paint("1", text)
}

/// Green text, for good news.
pub fn green(text: &str) -> String {
    paint("32", text)
}

/// Red text, for failures.
pub fn red(text: &str) -> String {
    paint("31", text)
}

/// Yellow text, for things neither passed nor failed.
pub fn yellow(text: &str) -> String {
    paint("33", text)
}

/// The text without its terminal colour codes.
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_escape = false;
    for c in s.chars() {
        match (in_escape, c) {
            (false, '\u{1b}') => in_escape = true,
            (true, c) if c.is_ascii_alphabetic() => in_escape = false,
            (true, _) => {}
            (false, c) => out.push(c),
        }
    }
    out
}

/// A check's name read as words: `shared_updates_are_exact` → `shared updates are exact`.
pub fn words(check: &str) -> String {
    check.replace('_', " ")
}

/// The heading printed before an exercise's checks; with `place = Some((i, n))` in a
/// longer run it says how far along the run is (a bar too, on a terminal).
pub fn exercise_heading(exercise: &Exercise, place: Option<(usize, usize)>) -> String {
    let heading = bold(&format!("{} · {}", exercise.slug, exercise.title));
    match place {
        Some((i, n)) if n > 1 => format!("{heading}  {}", progress(i, n)),
        _ => heading,
    }
}

/// `[3/14]`, and on a terminal `[███░░░░░░░] 3/14`: ten cells, so it fits 80 columns.
pub fn progress(done: usize, total: usize) -> String {
    if !color_enabled() {
        return format!("[{done}/{total}]");
    }
    let filled = (done * 10).div_ceil(total.max(1)).min(10);
    format!(
        "[{}{}] {done}/{total}",
        "█".repeat(filled),
        "░".repeat(10 - filled)
    )
}

/// The line (and explanation) for one finished check.
pub fn check_lines(check: &CheckResult) -> String {
    let (mark, label) = match &check.verdict {
        Verdict::Passed => (green("✔"), green("passed")),
        Verdict::Inconclusive { .. } => (yellow("?"), yellow("inconclusive")),
        Verdict::TimedOut { .. } => (red("✘"), red("timed out")),
        other => (red("✘"), red(other.label())),
    };
    let pad = " ".repeat(20usize.saturating_sub(check.verdict.label().chars().count()));
    // Slow checks say how long they took, so a learner sees where the time goes.
    let took = if check.elapsed.as_secs_f64() >= 1.0 {
        format!("  ({:.1} s)", check.elapsed.as_secs_f64())
    } else {
        String::new()
    };
    let mut out = format!("  {mark} {label}{pad} {}{took}\n", words(&check.name));
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
    pub inconclusive: usize,
    pub not_compiling: usize,
}

impl Tally {
    /// Adds an exercise's outcome.
    pub fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::DoesNotCompile { .. } => self.not_compiling += 1,
            Outcome::Ran { checks } => {
                for c in checks {
                    match c.verdict {
                        Verdict::Passed => self.passed += 1,
                        Verdict::Inconclusive { .. } => self.inconclusive += 1,
                        _ => self.failed += 1,
                    }
                }
            }
        }
    }

    /// `3 passed, 1 failed` (and the rarer counts only when there are any).
    pub fn summary(&self) -> String {
        let mut parts = vec![
            format!("{} passed", self.passed),
            format!("{} failed", self.failed),
        ];
        if self.inconclusive > 0 {
            parts.push(format!("{} inconclusive", self.inconclusive));
        }
        if self.not_compiling > 0 {
            parts.push(format!("{} not compiling", self.not_compiling));
        }
        parts.join(", ")
    }
}
