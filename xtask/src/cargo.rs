//! The cargo the runner drives: building a target of one package (its diagnostics
//! shown as they come, unedited) and running a cargo tool that prints for itself. Both
//! run under the watchdog like every process the runner starts.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use anyhow::{Result, bail};
use course::watchdog::{self, Output};
use course::{Build, Course, UserError};

use crate::terminal;

/// A cold build compiles the dependencies too; on a 2-core machine that can take minutes.
const BUILD_LIMIT: Duration = Duration::from_secs(30 * 60);

/// The tools (the book, the model against CPython, benchmarks, pictures) measure for
/// minutes at most; two hours means something hangs.
const TOOL_LIMIT: Duration = Duration::from_secs(2 * 60 * 60);

/// A target the runner builds and then runs itself, under the watchdog.
#[derive(Clone, Copy)]
pub enum Target {
    /// The `checks` integration test.
    Checks,
    /// An example, such as `trace`.
    Example(&'static str),
}

/// The cargo that started us (so the same toolchain builds the checks), else `cargo`.
pub fn program() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Builds one target of `build.package` and returns its executable; `Ok(Err(diagnostics))`
/// when it does not compile.
pub fn build(course: &Course, build: &Build, target: Target) -> Result<Result<PathBuf, String>> {
    let mut cmd = Command::new(program());
    cmd.current_dir(&course.root);
    match target {
        Target::Checks => cmd.args(["test", "--package", &build.package, "--test", "checks", "--no-run"]),
        Target::Example(name) => cmd.args(["build", "--package", &build.package, "--example", name]),
    };
    if let Some(feature) = &build.feature {
        cmd.args(["--features", feature]);
    }
    cmd.arg("--message-format=json-render-diagnostics");
    if terminal::color_enabled() {
        cmd.arg("--color=always");
    }
    let done = watchdog::run(cmd, BUILD_LIMIT, Output::ForwardStderr { hide: is_cargo_status_noise })?;
    if done.timed_out {
        bail!("building {} took longer than {} minutes", build.package, BUILD_LIMIT.as_secs() / 60);
    }
    let success = done.status.is_some_and(|s| s.success());
    let (name, kind) = match target {
        Target::Checks => ("checks", "test"),
        Target::Example(name) => (name, "example"),
    };
    let executable = done.stdout.lines().find_map(|l| executable_of(l, name, kind));
    match (success, executable) {
        (true, Some(exe)) => Ok(Ok(exe)),
        (true, None) => bail!(
            "cargo built {} but named no {kind} `{name}`; does its Cargo.toml declare it?",
            build.package
        ),
        (false, _) => Ok(Err(done.stderr)),
    }
}

/// Builds the `checks` of several packages in one cargo run, which compiles them side by
/// side (a small crate compiles mostly on one core, so one build at a time leaves the
/// other idle). Returns each build's executable, in order; `None` when cargo failed, and
/// the caller then builds them one by one, so that each side's diagnostics are its own.
/// The packages must differ: one cargo run builds a package with one set of features.
pub fn build_checks_together(course: &Course, builds: &[Build]) -> Result<Option<Vec<PathBuf>>> {
    let mut cmd = Command::new(program());
    cmd.current_dir(&course.root).args(["test", "--no-run", "--test", "checks", "--message-format=json"]);
    for build in builds {
        cmd.args(["--package", &build.package]);
    }
    let features: Vec<String> =
        builds.iter().filter_map(|b| b.feature.as_ref().map(|f| format!("{}/{f}", b.package))).collect();
    if !features.is_empty() {
        cmd.args(["--features", &features.join(",")]);
    }
    let done = watchdog::run(cmd, BUILD_LIMIT, Output::Collect)?;
    if done.timed_out {
        bail!("building {} packages' checks took longer than {} minutes", builds.len(), BUILD_LIMIT.as_secs() / 60);
    }
    if !done.status.is_some_and(|s| s.success()) {
        return Ok(None);
    }
    let manifests: Vec<Option<PathBuf>> = builds.iter().map(|b| b.dir.join("Cargo.toml").canonicalize().ok()).collect();
    let mut found: Vec<Option<PathBuf>> = vec![None; builds.len()];
    for line in done.stdout.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let (Some(manifest), Some(exe)) = (msg["manifest_path"].as_str(), executable_in(&msg, "checks", "test")) else {
            continue;
        };
        let manifest = PathBuf::from(manifest).canonicalize().ok();
        if let Some(i) = manifests.iter().position(|m| m.is_some() && *m == manifest) {
            found[i] = Some(exe);
        }
    }
    Ok(found.into_iter().collect())
}

/// Runs `cargo ARGS` in the course root with the runner's own output (the tool prints
/// for itself), under the watchdog; true when it succeeded.
pub fn passthrough(course: &Course, args: &[&str]) -> Result<bool> {
    let mut cmd = Command::new(program());
    cmd.current_dir(&course.root).args(args);
    let done = watchdog::run(cmd, TOOL_LIMIT, Output::Inherit)?;
    if done.timed_out {
        return Err(UserError::new(format!(
            "cargo {} was still running after {} minutes, so it was stopped",
            args.join(" "),
            TOOL_LIMIT.as_secs() / 60
        ))
        .into());
    }
    Ok(done.status.is_some_and(|s| s.success()))
}

/// Cargo's own progress lines that say nothing to a learner on a warm build.
fn is_cargo_status_noise(line: &str) -> bool {
    let l = terminal::strip_ansi(line);
    let l = l.trim_start();
    l.starts_with("Finished") || l.starts_with("Executable") || l.starts_with("Blocking waiting")
}

/// The executable of target `name` of kind `kind`, from one line of cargo's JSON messages.
fn executable_of(line: &str, name: &str, kind: &str) -> Option<PathBuf> {
    executable_in(&serde_json::from_str(line).ok()?, name, kind)
}

/// The same, from a message already parsed.
fn executable_in(msg: &serde_json::Value, name: &str, kind: &str) -> Option<PathBuf> {
    if msg["reason"] != "compiler-artifact" || msg["target"]["name"] != name {
        return None;
    }
    if !msg["target"]["kind"].as_array()?.iter().any(|k| k == kind) {
        return None;
    }
    msg["executable"].as_str().map(PathBuf::from)
}
