//! Results in the shape of Exercism's test-runner interface, version 2, so an
//! autograder can read a class's runs: `status` pass/fail/error, `message`, and
//! `tests[]` with `name`, `status`, `message`, `output`.

use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use std::collections::BTreeMap;

use course::{Class, Exercise, Progress};

use crate::run::Outcome;
use crate::terminal::strip_ansi;

/// Exercism lets `output` hold at most 500 characters per test.
const OUTPUT_LIMIT: usize = 500;

#[derive(Serialize)]
struct Report<'a> {
    version: u8,
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    tests: Vec<TestReport>,
    /// Beside Exercism's fields (its format allows more): the highest hint rung each
    /// learner read, by exercise and step, so an instructor sees who needed which.
    hints_read: BTreeMap<String, BTreeMap<String, usize>>,
}

#[derive(Serialize)]
struct TestReport {
    name: String,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<String>,
}

/// Writes the results of the exercises checked in this run to `path`.
pub fn write(path: &Path, results: &[(&Exercise, Outcome)], progress: &Progress) -> Result<()> {
    let mut tests = Vec::new();
    let mut errors = Vec::new();
    for (exercise, outcome) in results {
        match outcome {
            Outcome::DoesNotCompile { diagnostics } => {
                errors.push(format!(
                    "{} does not compile:\n{}",
                    exercise.slug,
                    strip_ansi(diagnostics)
                ));
            }
            Outcome::Ran { checks, .. } => {
                for check in checks {
                    let status = match check.verdict.class() {
                        Class::Pass => "pass",
                        Class::Fail => "fail",
                        // Not measured is not a pass, and not the learner's failure either.
                        Class::NotMeasured => "error",
                    };
                    tests.push(TestReport {
                        name: format!("{} / {}", exercise.slug, check.name),
                        status,
                        message: check.verdict.explanation(&check.name),
                        output: (!check.output.is_empty()).then(|| truncate(&check.output)),
                    });
                }
            }
        }
    }
    let status = if !errors.is_empty() {
        "error"
    } else if tests.iter().all(|t| t.status == "pass") && !tests.is_empty() {
        "pass"
    } else {
        "fail"
    };
    let hints_read = results
        .iter()
        .map(|(ex, _)| (ex.slug.clone(), progress.hints_read(ex).into_iter().collect::<BTreeMap<_, _>>()))
        .filter(|(_, read)| !read.is_empty())
        .collect();
    let report = Report {
        version: 2,
        status,
        message: (!errors.is_empty()).then(|| errors.join("\n\n")),
        tests,
        hints_read,
    };
    let text = serde_json::to_string_pretty(&report).context("encoding the results as JSON")?;
    std::fs::write(path, text + "\n")
        .with_context(|| format!("writing the results to {}", path.display()))
}

/// The output within Exercism's limit. What a check printed last (its panic, after
/// its progress lines) says most, so a long output keeps its end.
fn truncate(s: &str) -> String {
    const MARK: &str = "[start cut by the runner]\n";
    let count = s.chars().count();
    if count <= OUTPUT_LIMIT {
        return s.to_string();
    }
    let keep = OUTPUT_LIMIT - MARK.chars().count();
    let tail: String = s.chars().skip(count - keep).collect();
    format!("{MARK}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_output_keeps_its_end_within_the_limit() {
        let out = format!("{}\nthread 'x' panicked at a.rs:1:1:\nthe real cause", "progress line\n".repeat(100));
        let cut = truncate(&out);
        assert!(cut.chars().count() <= OUTPUT_LIMIT);
        assert!(cut.ends_with("the real cause"), "{cut}");
    }
}
