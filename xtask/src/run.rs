//! Building one crate's `checks` test binary and running each check in it alone,
//! under the watchdog. The learner, `verify` and CI all go through here: there is
//! no second code path that only CI trusts.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::course::{Course, Exercise, Side};
use crate::output;
use crate::verdict::{self, Verdict};
use crate::watchdog::{self, Stderr};

/// A cold build compiles the dependencies too; on a 2-core machine that can take minutes.
const BUILD_LIMIT: Duration = Duration::from_secs(30 * 60);
/// Listing the checks only starts the binary.
const LIST_LIMIT: Duration = Duration::from_secs(30);

/// One check's result.
#[derive(Debug, Clone)]
pub struct CheckResult {
    /// The test's name, which says the behaviour it proves.
    pub name: String,
    pub verdict: Verdict,
    /// The `report:` lines the check printed (timing figures and the like).
    pub reports: Vec<String>,
    /// Everything it printed, for the JSON results.
    pub output: String,
    pub elapsed: Duration,
}

/// What running one side of one exercise gave.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The crate or its checks did not compile; cargo's diagnostics, unedited.
    DoesNotCompile { diagnostics: String },
    /// Every check ran.
    Ran { checks: Vec<CheckResult> },
}

impl Outcome {
    /// True when every check ran and passed.
    pub fn all_passed(&self) -> bool {
        match self {
            Outcome::DoesNotCompile { .. } => false,
            Outcome::Ran { checks } => {
                !checks.is_empty() && checks.iter().all(|c| c.verdict.passed())
            }
        }
    }
}

/// A side of an exercise whose checks are built and listed, ready to run.
pub struct Prepared<'c> {
    course: &'c Course,
    binary: PathBuf,
    dir: PathBuf,
    limit: Duration,
    /// The checks' names, in the order the test binary lists them.
    pub names: Vec<String>,
}

/// Builds one side's checks and lists them. `Ok(Err(diagnostics))` when it does not compile.
pub fn prepare<'c>(
    course: &'c Course,
    exercise: &Exercise,
    side: Side,
) -> Result<Result<Prepared<'c>, String>> {
    let (dir, package) = exercise.side(course, side);
    prepare_crate(course, exercise, dir, &package)
}

/// Like [`prepare`], for any crate that compiles the exercise's checks (a mistake fixture).
pub fn prepare_crate<'c>(
    course: &'c Course,
    exercise: &Exercise,
    dir: PathBuf,
    package: &str,
) -> Result<Result<Prepared<'c>, String>> {
    let binary = match build(course, package)? {
        Ok(binary) => binary,
        Err(diagnostics) => return Ok(Err(diagnostics)),
    };
    let names = list(&binary, &dir)?;
    if names.is_empty() {
        bail!(
            "{} has no checks: its tests/checks.rs defines no #[test]",
            exercise.slug
        );
    }
    let limit = Duration::from_secs(exercise.timeout_secs);
    Ok(Ok(Prepared {
        course,
        binary,
        dir,
        limit,
        names,
    }))
}

impl Prepared<'_> {
    /// Runs one check alone in a fresh process under the watchdog.
    pub fn run(&self, name: &str) -> Result<CheckResult> {
        run_one(self.course, &self.binary, &self.dir, name, self.limit)
    }
}

/// Builds the side's checks and runs each one, calling `on_check` as each finishes.
pub fn run_exercise(
    course: &Course,
    exercise: &Exercise,
    side: Side,
    mut on_check: impl FnMut(&CheckResult),
) -> Result<Outcome> {
    let prepared = match prepare(course, exercise, side)? {
        Ok(p) => p,
        Err(diagnostics) => return Ok(Outcome::DoesNotCompile { diagnostics }),
    };
    let mut checks = Vec::new();
    for name in &prepared.names {
        let result = prepared.run(name)?;
        on_check(&result);
        checks.push(result);
    }
    Ok(Outcome::Ran { checks })
}

/// Builds `package`'s `checks` test target. `Ok(Err(diagnostics))` when it does not compile.
fn build(course: &Course, package: &str) -> Result<Result<PathBuf, String>> {
    build_target(course, package, Target::Checks)
}

/// A target the runner builds and then runs itself, under the watchdog.
#[derive(Clone, Copy)]
pub enum Target {
    /// The `checks` integration test.
    Checks,
    /// An example, such as `trace`.
    Example(&'static str),
}

/// Builds one target of `package` and returns its executable; `Ok(Err(diagnostics))`
/// when it does not compile. Cargo's diagnostics are shown as they come, unedited.
pub fn build_target(
    course: &Course,
    package: &str,
    target: Target,
) -> Result<Result<PathBuf, String>> {
    let mut cmd = Command::new(cargo());
    cmd.current_dir(&course.root);
    match target {
        Target::Checks => cmd.args(["test", "--package", package, "--test", "checks", "--no-run"]),
        Target::Example(name) => cmd.args(["build", "--package", package, "--example", name]),
    };
    cmd.arg("--message-format=json-render-diagnostics");
    if output::color_enabled() {
        cmd.arg("--color=always");
    }
    let done = watchdog::run(
        cmd,
        BUILD_LIMIT,
        Stderr::Forward {
            hide: is_cargo_status_noise,
        },
    )?;
    if done.timed_out {
        bail!(
            "building the checks of {package} took longer than {} minutes",
            BUILD_LIMIT.as_secs() / 60
        );
    }
    let success = done.status.is_some_and(|s| s.success());
    let (name, kind) = match target {
        Target::Checks => ("checks", "test"),
        Target::Example(name) => (name, "example"),
    };
    let executable = done
        .stdout
        .lines()
        .find_map(|l| executable_of(l, name, kind));
    match (success, executable) {
        (true, Some(exe)) => Ok(Ok(exe)),
        (true, None) => bail!(
            "cargo built {package} but named no {kind} `{name}`; does its Cargo.toml declare it?"
        ),
        (false, _) => Ok(Err(done.stderr)),
    }
}

/// Cargo's own progress lines that say nothing to a learner on a warm build.
fn is_cargo_status_noise(line: &str) -> bool {
    let l = output::strip_ansi(line);
    let l = l.trim_start();
    l.starts_with("Finished") || l.starts_with("Executable") || l.starts_with("Blocking waiting")
}

/// The executable of target `name` of kind `kind`, from one line of cargo's JSON messages.
fn executable_of(line: &str, name: &str, kind: &str) -> Option<PathBuf> {
    let msg: serde_json::Value = serde_json::from_str(line).ok()?;
    if msg["reason"] != "compiler-artifact" || msg["target"]["name"] != name {
        return None;
    }
    if !msg["target"]["kind"].as_array()?.iter().any(|k| k == kind) {
        return None;
    }
    msg["executable"].as_str().map(PathBuf::from)
}

fn list(binary: &Path, dir: &Path) -> Result<Vec<String>> {
    let mut cmd = Command::new(binary);
    cmd.current_dir(dir).args(["--list", "--format", "terse"]);
    let done = watchdog::run(cmd, LIST_LIMIT, Stderr::Collect)?;
    if !done.status.is_some_and(|s| s.success()) {
        bail!(
            "could not list the checks in {}: {}",
            binary.display(),
            done.stderr.trim()
        );
    }
    Ok(done
        .stdout
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect())
}

fn run_one(
    course: &Course,
    binary: &Path,
    dir: &Path,
    name: &str,
    limit: Duration,
) -> Result<CheckResult> {
    let mut cmd = Command::new(binary);
    cmd.current_dir(dir)
        .args([name, "--exact", "--nocapture", "--test-threads", "1"])
        // Snapshots are compared, never written into the learner's tree.
        .env("INSTA_UPDATE", "no")
        .env("INSTA_FORCE_PASS", "0")
        .env("INSTA_WORKSPACE_ROOT", &course.root)
        .env("RUST_BACKTRACE", "0")
        .env("COURSE_ROOT", &course.root);
    let done = watchdog::run(cmd, limit, Stderr::Collect)?;
    let verdict = verdict::read(name, &done, limit, &course.root, dir);
    let reports = done
        .stdout
        .lines()
        .chain(done.stderr.lines())
        // libtest's `test NAME ... ` can land on the same line as the first print.
        .filter_map(|l| {
            l.find("report: ")
                .map(|at| l[at + "report: ".len()..].to_string())
        })
        .collect();
    Ok(CheckResult {
        name: name.to_string(),
        verdict,
        reports,
        output: format!("{}{}", done.stdout, done.stderr),
        elapsed: done.elapsed,
    })
}

/// The cargo that started us (so the same toolchain builds the checks), else `cargo`.
pub fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Runs a cargo subcommand in the course root with inherited output; used for tools
/// (the book, the model's comparison) that print for themselves.
pub fn cargo_passthrough(course: &Course, args: &[&str]) -> Result<std::process::ExitStatus> {
    let mut cmd = Command::new(cargo());
    cmd.current_dir(&course.root).args(args);
    cmd.status()
        .with_context(|| format!("could not run cargo {}", args.join(" ")))
}
