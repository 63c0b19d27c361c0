//! Running one side of a chapter: build its `checks` test binary, list the checks in
//! it, and run each one alone in a fresh process under the watchdog, step by step.
//! Within a step, the checks that read no clock run first, side by side (one per
//! core); the `// timed` ones then run one at a time, so nothing of ours competes with
//! a measurement. The learner, `verify` and CI all go through here: there is no second
//! code path that only CI trusts.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{Result, bail};
use course::watchdog::{self, Output};
use course::{Check, Course, Exercise, Side, Step, Verdict, protocol, read_verdict};

use crate::cargo::{self, Target};

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
    /// The checks of `steps_run` steps ran (all of them, or up to the first step that
    /// did not pass, as asked); `steps_passed` of those passed whole.
    Ran { checks: Vec<CheckResult>, steps_run: usize, steps_passed: usize, steps: usize },
}

impl Outcome {
    /// True when every step ran and every check passed.
    pub fn all_passed(&self) -> bool {
        match self {
            Outcome::DoesNotCompile { .. } => false,
            Outcome::Ran { checks, steps_passed, steps, .. } => {
                !checks.is_empty() && steps_passed == steps && checks.iter().all(|c| c.verdict.passed())
            }
        }
    }
}

/// How far a run goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extent {
    /// Every step, whatever happens (instructors' JSON, `verify`).
    AllSteps,
    /// Up to the first step that does not pass: a learner works on one step at a time.
    UpToFirstUnfinishedStep,
}

/// A side of an exercise whose checks are built and listed, ready to run.
pub struct Prepared<'c> {
    course: &'c Course,
    binary: PathBuf,
    dir: PathBuf,
    limit: Duration,
    /// The steps, as the checks file declares them (libtest lists the same checks).
    pub steps: Vec<Step>,
    /// Every check's name, in step order.
    pub names: Vec<String>,
}

/// Builds one side's checks and lists them. `Ok(Err(diagnostics))` when it does not compile.
pub fn prepare<'c>(course: &'c Course, exercise: &Exercise, side: Side<'_>) -> Result<Result<Prepared<'c>, String>> {
    let build = exercise.build(side)?;
    let binary = match cargo::build(course, &build, Target::Checks)? {
        Ok(binary) => binary,
        Err(diagnostics) => return Ok(Err(diagnostics)),
    };
    Ok(Ok(prepare_built(course, exercise, build.dir, binary)?))
}

/// Lists the checks of a `checks` binary already built (by `prepare`, or ahead of time by
/// `cargo::build_checks_together`), to run them in `dir`.
pub fn prepare_built<'c>(course: &'c Course, exercise: &Exercise, dir: PathBuf, binary: PathBuf) -> Result<Prepared<'c>> {
    let listed = list(&binary, &dir)?;
    let declared: Vec<String> = exercise.checks().map(|c| c.name.clone()).collect();
    // The checks file is read twice, by rustc and by the course; they must agree.
    if let Some(missing) = declared.iter().find(|n| !listed.contains(n)) {
        bail!("exercises/{}/tests/checks.rs declares `{missing}`, but its test binary has no such test", exercise.slug);
    }
    if let Some(extra) = listed.iter().find(|n| !declared.contains(n)) {
        bail!(
            "the checks of {} include `{extra}`, which exercises/{}/tests/checks.rs does not declare after a #[test]",
            exercise.slug,
            exercise.slug
        );
    }
    if declared.is_empty() {
        bail!("{} has no checks: its tests/checks.rs defines no #[test]", exercise.slug);
    }
    Ok(Prepared {
        course,
        binary,
        dir,
        limit: Duration::from_secs(exercise.timeout_secs),
        steps: exercise.steps.clone(),
        names: declared,
    })
}

impl Prepared<'_> {
    /// Runs one check alone in a fresh process under the watchdog.
    pub fn run(&self, name: &str) -> Result<CheckResult> {
        run_one(self.course, &self.binary, &self.dir, name, self.limit)
    }

    /// Runs one step's checks: those that read no clock side by side, one per core,
    /// then the timed ones one at a time. `on_check` sees each result in the order the
    /// checks file declares them.
    pub fn run_step(&self, step: &Step, on_check: &mut impl FnMut(&CheckResult)) -> Result<Vec<CheckResult>> {
        let (timed, untimed): (Vec<&Check>, Vec<&Check>) = step.checks.iter().partition(|c| c.timed);
        let mut results = self.run_side_by_side(&untimed)?;
        for check in timed {
            results.push(self.run(&check.name)?);
        }
        let order = |r: &CheckResult| step.checks.iter().position(|c| c.name == r.name);
        results.sort_by_key(order);
        for result in &results {
            on_check(result);
        }
        Ok(results)
    }

    /// Runs checks that read no clock at once, as many as there are cores.
    fn run_side_by_side(&self, checks: &[&Check]) -> Result<Vec<CheckResult>> {
        let lanes = std::thread::available_parallelism().map_or(1, |n| n.get()).min(checks.len()).max(1);
        let queue = Mutex::new(checks.iter().map(|c| c.name.clone()).collect::<Vec<_>>());
        let done = Mutex::new(Vec::new());
        std::thread::scope(|s| -> Result<()> {
            let lanes: Vec<_> = (0..lanes)
                .map(|_| {
                    s.spawn(|| -> Result<()> {
                        loop {
                            let Some(name) = queue.lock().unwrap_or_else(|p| p.into_inner()).pop() else {
                                return Ok(());
                            };
                            let result = self.run(&name)?;
                            done.lock().unwrap_or_else(|p| p.into_inner()).push(result);
                        }
                    })
                })
                .collect();
            for lane in lanes {
                lane.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            }
            Ok(())
        })?;
        Ok(done.into_inner().unwrap_or_else(|p| p.into_inner()))
    }

    /// Runs the steps in order, as far as `extent` says, calling `on_step` with each
    /// step's place before its checks run and `on_check` with each check's result.
    pub fn run_steps(
        &self,
        extent: Extent,
        mut on_step: impl FnMut(usize, &Step),
        mut on_check: impl FnMut(&CheckResult),
    ) -> Result<Outcome> {
        let mut checks = Vec::new();
        let (mut steps_run, mut steps_passed) = (0, 0);
        for (i, step) in self.steps.iter().enumerate() {
            on_step(i, step);
            let results = self.run_step(step, &mut on_check)?;
            steps_run += 1;
            let passed = results.iter().all(|r| r.verdict.passed());
            checks.extend(results);
            if passed && steps_passed + 1 == steps_run {
                steps_passed += 1;
            }
            if !passed && extent == Extent::UpToFirstUnfinishedStep {
                break;
            }
        }
        Ok(Outcome::Ran { checks, steps_run, steps_passed, steps: self.steps.len() })
    }
}


fn list(binary: &Path, dir: &Path) -> Result<Vec<String>> {
    let mut cmd = Command::new(binary);
    cmd.current_dir(dir).args(["--list", "--format", "terse"]);
    let done = watchdog::run(cmd, LIST_LIMIT, Output::Collect)?;
    if !done.status.is_some_and(|s| s.success()) {
        bail!("could not list the checks in {}: {}", binary.display(), done.stderr.trim());
    }
    Ok(done.stdout.lines().filter_map(|l| l.strip_suffix(": test")).map(str::to_string).collect())
}

fn run_one(course: &Course, binary: &Path, dir: &Path, name: &str, limit: Duration) -> Result<CheckResult> {
    let mut cmd = Command::new(binary);
    cmd.current_dir(dir)
        .args([name, "--exact", "--nocapture", "--test-threads", "1"])
        // Snapshots are compared, never written into the learner's tree.
        .env("INSTA_UPDATE", "no")
        .env("INSTA_FORCE_PASS", "0")
        .env("INSTA_WORKSPACE_ROOT", &course.root)
        .env("RUST_BACKTRACE", "0")
        .env("COURSE_ROOT", &course.root)
        // A check that measures says so, so `verify` can prove it is marked `// timed`.
        .env(protocol::ANNOUNCE_MEASURING, "1");
    let done = watchdog::run(cmd, limit, Output::Collect)?;
    let verdict = read_verdict(name, &done, limit, &course.root, dir);
    let mut reports = protocol::reports(&done.stdout);
    reports.extend(protocol::reports(&done.stderr));
    let output = format!("{}{}", done.stdout, done.stderr);
    Ok(CheckResult { name: name.to_string(), verdict, reports, output, elapsed: done.elapsed })
}
