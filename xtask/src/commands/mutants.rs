//! `cargo xtask mutants [EXERCISE…]` (maintainers): mutation testing, the measure of
//! what the checks miss. cargo-mutants (27.x, installed if absent, with cargo-nextest)
//! changes the solution's own code one small way at a time (`+` to `-`, a function to
//! `Default::default()`, a match arm deleted) and runs the chapter's checks, each in a
//! process of its own and one at a time, as the runner does. A mutant the checks pass
//! is a hole in them, or a change that makes no difference. The results go to
//! `solutions/NN-slug/mutants.toml`, which `cargo test` keeps in step with the solution.

use std::collections::BTreeMap;
use std::fs;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result};
use course::mutants::{MutationResults, REQUIRED_CAUGHT, Survivor, measured_fingerprint};
use course::watchdog::{self, Output};
use course::{Course, Exercise, UserError};

use crate::terminal::{bold, green, red, yellow};
use crate::{Done, cargo};

/// A chapter's mutants take minutes; a night means something hangs.
const RUN_LIMIT: Duration = Duration::from_secs(8 * 60 * 60);

/// The cargo-mutants release line the results are measured with.
const MUTANTS_VERSION: &str = "^27";

pub fn run(course: &Course, names: &[String]) -> Result<Done> {
    ensure_tool(course, &["mutants", "--version"], &["install", "cargo-mutants", "--version", MUTANTS_VERSION, "--locked"])?;
    ensure_tool(course, &["nextest", "--version"], &["install", "cargo-nextest", "--locked"])?;
    let tool = tool_version(course)?;
    let chosen: Vec<&Exercise> = course.select(names, false)?.into_iter().filter(|e| e.number > 0).collect();
    let mut all_ok = true;
    for ex in chosen {
        println!("{}", bold(&format!("{} · mutants of solutions/{}/src", ex.slug, ex.slug)));
        let results = mutate(course, ex, &tool)?;
        let share = results.caught_share();
        let unexplained = results.survivors.iter().filter(|s| s.why.trim().is_empty()).count();
        let line = format!(
            "  {} of {} viable mutants caught ({:.0}%; {} by a time-out), {} unviable, {} survivor(s), {unexplained} without a reason",
            results.caught + results.timeout,
            results.viable(),
            share * 100.0,
            results.timeout,
            results.unviable,
            results.survivors.len()
        );
        let ok = share >= REQUIRED_CAUGHT && unexplained == 0;
        all_ok &= ok;
        println!("{}", if ok { green(&line) } else { red(&line) });
        for s in results.survivors.iter().filter(|s| s.why.trim().is_empty()) {
            println!("  {} {}", yellow("survived:"), s.mutant);
        }
        if unexplained > 0 {
            println!(
                "  close each with a check, or say in solutions/{}/mutants.toml why it is equivalent or harmless",
                ex.slug
            );
        }
    }
    Ok(if all_ok { Done::Passed } else { Done::NotPassed })
}

/// Runs cargo-mutants over one chapter's solution and records what it found, keeping
/// the reasons already given for survivors that remain.
fn mutate(course: &Course, ex: &Exercise, tool: &str) -> Result<MutationResults> {
    let package = ex.solution_package.clone().with_context(|| format!("solutions/{} has no Cargo.toml", ex.slug))?;
    let out = course.root.join("target").join("mutants").join(&ex.slug);
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let own_code = format!("{}/**", course.relative(&ex.solution_dir.join("src")));
    let mut cmd = Command::new(cargo::program());
    cmd.current_dir(&course.root)
        .args(["mutants", "--package", &package, "--file", &own_code, "--in-place", "--no-shuffle"])
        // The solution compiles given files of the exercise by `#[path]`, which the glob
        // above reaches through `src/../../../exercises`: those are not the learner's code.
        .args(["--exclude", "**/exercises/**"])
        .args(["--test-tool", "nextest", "--output"])
        .arg(&out)
        // Each check alone, one at a time, as the runner runs them.
        .args(["--", "--test-threads", "1"])
        .env("INSTA_UPDATE", "no")
        .env("RUST_BACKTRACE", "0")
        .env("COURSE_ROOT", &course.root);
    println!(
        "  {}",
        yellow(&format!(
            "cargo mutants --package {package} --file '{own_code}' --exclude '**/exercises/**' --in-place --test-tool nextest"
        ))
    );
    let done = watchdog::run(cmd, RUN_LIMIT, Output::Inherit)?;
    if done.timed_out {
        return Err(UserError::new(format!("cargo mutants on {} ran past {} hours", ex.slug, RUN_LIMIT.as_secs() / 3600)).into());
    }
    let list = |name: &str| -> Vec<String> {
        fs::read_to_string(out.join("mutants.out").join(name))
            .map(|t| t.lines().filter(|l| !l.trim().is_empty()).map(str::to_string).collect())
            .unwrap_or_default()
    };
    if !out.join("mutants.out").is_dir() {
        return Err(UserError::new(format!(
            "cargo mutants left no results for {} (the lines above say why; the unmutated checks must pass first)",
            ex.slug
        ))
        .into());
    }
    let reasons: BTreeMap<String, String> = MutationResults::load(ex)?
        .map(|old| old.survivors.into_iter().map(|s| (without_place(&s.mutant), s.why)).collect())
        .unwrap_or_default();
    let survivors = list("missed.txt")
        .into_iter()
        .map(|mutant| {
            let why = reasons.get(&without_place(&mutant)).cloned().unwrap_or_default();
            Survivor { mutant, why }
        })
        .collect();
    let results = MutationResults {
        measured: measured_fingerprint(ex)?,
        tool: tool.to_string(),
        caught: list("caught.txt").len(),
        timeout: list("timeout.txt").len(),
        unviable: list("unviable.txt").len(),
        survivors,
    };
    results.save(ex)?;
    Ok(results)
}

/// A mutant's name without its line and column, so a reason survives a moved line:
/// `src/pool.rs:88:9: replace len -> usize with 1` → `src/pool.rs: replace len -> usize with 1`.
fn without_place(mutant: &str) -> String {
    let mut parts = mutant.splitn(4, ':');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(file), Some(_line), Some(_col), Some(rest)) => format!("{file}:{rest}"),
        _ => mutant.to_string(),
    }
}

/// Installs a cargo tool when `cargo CHECK` does not answer.
fn ensure_tool(course: &Course, check: &[&str], install: &[&str]) -> Result<()> {
    let mut cmd = Command::new(cargo::program());
    cmd.args(check);
    let present = watchdog::run(cmd, Duration::from_secs(30), Output::Collect)?.status.is_some_and(|s| s.success());
    if !present {
        println!("{}", bold(&format!("installing: cargo {}", install.join(" "))));
        if !cargo::passthrough(course, install)? {
            return Err(UserError::new(format!("could not install with `cargo {}`", install.join(" "))).into());
        }
    }
    Ok(())
}

fn tool_version(_course: &Course) -> Result<String> {
    let mut cmd = Command::new(cargo::program());
    cmd.args(["mutants", "--version"]);
    let done = watchdog::run(cmd, Duration::from_secs(30), Output::Collect)?;
    Ok(done.stdout.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_follows_its_mutant_to_another_line() {
        assert_eq!(
            without_place("solutions/06/src/pool.rs:88:9: replace len -> usize with 1"),
            "solutions/06/src/pool.rs: replace len -> usize with 1"
        );
    }
}
