//! Results in the shape of Exercism's test-runner interface, version 2, so an
//! autograder can read a class's runs: `status` pass/fail/error, `message`, and
//! `tests[]` with `name`, `status`, `message`, `output`.

use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::checks::Outcome;
use crate::course::Exercise;
use crate::verdict::Verdict;

/// Exercism lets `output` hold at most 500 characters per test.
const OUTPUT_LIMIT: usize = 500;

#[derive(Serialize)]
struct Report<'a> {
    version: u8,
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    tests: Vec<TestReport>,
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
pub fn write(path: &Path, results: &[(&Exercise, Outcome)]) -> Result<()> {
    let mut tests = Vec::new();
    let mut errors = Vec::new();
    for (exercise, outcome) in results {
        match outcome {
            Outcome::DoesNotCompile { diagnostics } => {
                errors.push(format!(
                    "{} does not compile:\n{}",
                    exercise.slug,
                    crate::output::strip_ansi(diagnostics)
                ));
            }
            Outcome::Ran { checks } => {
                for check in checks {
                    let status = match check.verdict {
                        Verdict::Passed => "pass",
                        // Not measured is not a pass, and not the learner's failure either.
                        Verdict::Inconclusive { .. } => "error",
                        _ => "fail",
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
    let report = Report {
        version: 2,
        status,
        message: (!errors.is_empty()).then(|| errors.join("\n\n")),
        tests,
    };
    let text = serde_json::to_string_pretty(&report).context("encoding the results as JSON")?;
    std::fs::write(path, text + "\n")
        .with_context(|| format!("writing the results to {}", path.display()))
}

fn truncate(s: &str) -> String {
    if s.chars().count() <= OUTPUT_LIMIT {
        return s.to_string();
    }
    let cut: String = s.chars().take(OUTPUT_LIMIT - 30).collect();
    format!("{cut}\n[output truncated by the runner]")
}
