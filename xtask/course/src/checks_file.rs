//! What a chapter's `tests/checks.rs` declares: its checks in order, the steps they
//! are grouped in, and which of them measure time. The runner, the book's exercise
//! box and the project's tests all read a checks file through here.
//!
//! The declarations are plain comments, so the file stays ordinary Rust:
//!
//! ```text
//! // step frames: encode and decode one job as a frame (`encode_job`, `decode_job`)
//! #[test]
//! fn frames_round_trip() { … }
//!
//! // timed: compares the pool with GIL threads on the clock
//! #[test]
//! fn pool_beats_gil_threads() { … }
//! ```
//!
//! A `// step NAME: what the learner writes` line opens a step; every check after it
//! belongs to it until the next one. A `// timed` (or `// timed: why`) line in the
//! comments right above a check's `#[test]` says the check reads a clock: the runner
//! runs such checks alone, after the others, and `verify` proves the marker is on
//! every check that measures and on no other.

use std::fmt;

/// The marker line of a step.
pub const STEP_MARKER: &str = "// step ";
/// The marker line of a check that measures time.
pub const TIMED_MARKER: &str = "// timed";

/// One check as the checks file declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The test function's name, which says the behaviour it proves.
    pub name: String,
    /// Whether it reads a clock (`// timed` above it).
    pub timed: bool,
}

impl Check {
    /// The name read as words: `shared_updates_are_exact` → `shared updates are exact`.
    pub fn words(&self) -> String {
        words(&self.name)
    }
}

/// A check's name read as words.
pub fn words(check: &str) -> String {
    check.replace('_', " ")
}

/// An ordered group of checks: the functions a learner writes at one time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// A short name (`frames`), used by `cargo xtask hint NN STEP` and in hints.
    pub name: String,
    /// What the learner writes in this step, in a few words.
    pub about: String,
    /// Its checks, in file order.
    pub checks: Vec<Check>,
}

/// A checks file that does not follow the conventions above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksFileError(pub String);

impl fmt::Display for ChecksFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ChecksFileError {}

/// Reads the steps (and their checks) declared in a checks file's source. A file with
/// no step marker is one step named `all`, holding every check.
pub fn parse(source: &str) -> Result<Vec<Step>, ChecksFileError> {
    let mut steps: Vec<Step> = Vec::new();
    let mut loose: Vec<Check> = Vec::new();
    let mut timed = false;
    let mut after_test_attr = false;
    for (i, raw) in source.lines().enumerate() {
        let line = raw.trim();
        if let Some(rest) = line.strip_prefix(STEP_MARKER) {
            let (name, about) = rest.split_once(':').ok_or_else(|| {
                ChecksFileError(format!(
                    "line {}: a step marker reads `// step NAME: what the learner writes`, found `{line}`",
                    i + 1
                ))
            })?;
            let name = name.trim();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                return Err(ChecksFileError(format!(
                    "line {}: a step's name is lowercase letters, digits and dashes, found `{name}`",
                    i + 1
                )));
            }
            if steps.iter().any(|s| s.name == name) {
                return Err(ChecksFileError(format!("line {}: step `{name}` is declared twice", i + 1)));
            }
            steps.push(Step { name: name.to_string(), about: about.trim().to_string(), checks: Vec::new() });
            continue;
        }
        if line == TIMED_MARKER || line.starts_with("// timed:") {
            timed = true;
            continue;
        }
        if line.starts_with("#[test]") {
            after_test_attr = true;
            continue;
        }
        if after_test_attr {
            if let Some(rest) = line.strip_prefix("fn ").or_else(|| line.strip_prefix("async fn ")) {
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                let check = Check { name, timed };
                match steps.last_mut() {
                    Some(step) => step.checks.push(check),
                    None => loose.push(check),
                }
                after_test_attr = false;
                timed = false;
                continue;
            }
            if line.starts_with("#[") || line.starts_with("//") || line.is_empty() {
                continue;
            }
            after_test_attr = false;
        }
        // A marker belongs to the check right below it; anything else in between drops it.
        if !(line.is_empty() || line.starts_with("//") || line.starts_with("#[")) {
            timed = false;
        }
    }
    if steps.is_empty() {
        return Ok(vec![Step { name: "all".into(), about: String::new(), checks: loose }]);
    }
    if let Some(first) = loose.first() {
        return Err(ChecksFileError(format!(
            "`{}` comes before the first `// step` marker; every check belongs to a step",
            first.name
        )));
    }
    if let Some(empty) = steps.iter().find(|s| s.checks.is_empty()) {
        return Err(ChecksFileError(format!("step `{}` holds no check", empty.name)));
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_steps_is_one_step_in_order_past_other_attributes() {
        let src = "#[test]\nfn a_b() {}\n\n#[test]\n#[should_panic]\nfn c() {}\nfn helper() {}\n";
        let steps = parse(src).unwrap();
        assert_eq!(steps.len(), 1);
        let names: Vec<&str> = steps[0].checks.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a_b", "c"]);
    }

    #[test]
    fn steps_group_the_checks_after_them_and_timed_marks_one_check() {
        let src = "\
use x;
// step frames: encode and decode a frame
#[test]
fn round_trip() {}

/// A doc comment.
// timed: pool against threads
#[test]
fn pool_is_faster() {}

// step pool: the pool
#[test]
fn results_in_order() {}
";
        let steps = parse(src).unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].name, "frames");
        assert_eq!(steps[0].about, "encode and decode a frame");
        assert_eq!(
            steps[0].checks,
            [
                Check { name: "round_trip".into(), timed: false },
                Check { name: "pool_is_faster".into(), timed: true }
            ]
        );
        assert_eq!(steps[1].checks, [Check { name: "results_in_order".into(), timed: false }]);
    }

    #[test]
    fn a_timed_marker_does_not_leak_past_the_code_between() {
        let src = "// timed\nconst X: u8 = 1;\n#[test]\nfn plain() {}\n";
        assert!(!parse(src).unwrap()[0].checks[0].timed);
    }

    #[test]
    fn a_check_before_the_first_step_is_refused() {
        let src = "#[test]\nfn early() {}\n// step later: more\n#[test]\nfn late() {}\n";
        let err = parse(src).unwrap_err().to_string();
        assert!(err.contains("`early` comes before the first"), "{err}");
    }
}
