//! `cargo xtask verify`: the maintainers' proof that the course is honest. For
//! every chapter: page, exercise, solution and fixtures are wired together; every
//! check fails on the untouched stub; every check passes on the solution and on every
//! alternative; every mistake is caught by name; the book builds. Its checks run through
//! the very pipeline learners run (`run::Prepared`); most sides are built ahead, in a few
//! cargo runs (`build_ahead`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;
use course::{Build, Course, Exercise, Fixture, FixtureKind, Side, Verdict, pristine, protocol, seal, wiring};

use super::book;
use crate::Done;
use crate::cargo;
use crate::render;
use crate::run::{self, CheckResult, Extent, Outcome, Prepared};
use crate::terminal::{bold, green, red, strip_ansi, yellow};

/// How often a solution's inconclusive timing check is measured again before it is
/// reported as unmeasured. The timing helper already retries inside one run.
const INCONCLUSIVE_RERUNS: usize = 2;

/// What one exercise's proof found.
#[derive(Default)]
struct Proof {
    checks: usize,
    stub_failed: usize,
    solution_passed: usize,
    inconclusive_checks: usize,
    mistakes: usize,
    mistakes_caught: usize,
    alternatives: usize,
    alternatives_passed: usize,
    /// Time spent on the stub and the solution, and on the fixtures (whose number grows).
    direct_time: Duration,
    fixtures_time: Duration,
    problems: Vec<String>,
}

impl Proof {
    fn add(&mut self, other: &Proof) {
        self.checks += other.checks;
        self.stub_failed += other.stub_failed;
        self.solution_passed += other.solution_passed;
        self.inconclusive_checks += other.inconclusive_checks;
        self.mistakes += other.mistakes;
        self.mistakes_caught += other.mistakes_caught;
        self.alternatives += other.alternatives;
        self.alternatives_passed += other.alternatives_passed;
        self.direct_time += other.direct_time;
        self.fixtures_time += other.fixtures_time;
    }

    /// `stub fails 5/5 checks · solution passes 5/5 checks · 2/2 mistakes caught by name`.
    fn line(&self) -> String {
        let mut line = format!(
            "stub fails {}/{} checks · solution passes {}/{} checks",
            self.stub_failed, self.checks, self.solution_passed, self.checks
        );
        if self.mistakes > 0 {
            line.push_str(&format!(" · {}/{} mistakes caught by name", self.mistakes_caught, self.mistakes));
        }
        if self.alternatives > 0 {
            line.push_str(&format!(" · {}/{} alternatives pass", self.alternatives_passed, self.alternatives));
        }
        line.push_str(&format!(
            " · {} for stub and solution, {} for fixtures",
            render::seconds(self.direct_time),
            render::seconds(self.fixtures_time)
        ));
        line
    }
}

pub fn run(course: &Course, names: &[String], skip_book: bool) -> Result<Done> {
    let chosen = course.select(names, false)?;
    note_edited_stubs(course, &chosen);

    let prebuilt = build_ahead(course, &chosen)?;
    let mut all_problems = Vec::new();
    let mut total = Proof { direct_time: prebuilt.direct_time, fixtures_time: prebuilt.fixtures_time, ..Proof::default() };
    for (i, ex) in chosen.iter().enumerate() {
        println!("{}", render::exercise_heading(ex, Some((i + 1, chosen.len()))));
        let proof = prove(course, ex, &prebuilt)?;
        let line = format!("  {}", proof.line());
        println!("{}", if proof.problems.is_empty() { green(&line) } else { red(&line) });
        if proof.inconclusive_checks > 0 {
            println!(
                "{}",
                yellow(&format!(
                    "  {} timing check(s) stayed inconclusive on the solution or a fixture (the machine was busy): not counted as passed",
                    proof.inconclusive_checks
                ))
            );
        }
        for p in &proof.problems {
            println!("  {} {p}", red("✘"));
        }
        total.add(&proof);
        all_problems.extend(proof.problems.into_iter().map(|p| format!("{}: {p}", ex.slug)));
    }

    // Graders trust `check --strict` only if the seal matches what the maintainers ship.
    match seal::committed(&course.root)? {
        None => all_problems.push("exercises/SEALED.sha256 is missing: run `cargo xtask seal` and commit it".into()),
        Some(sealed) => {
            let changed = seal::differences(&sealed, &seal::current(course)?);
            if !changed.is_empty() {
                all_problems.push(format!(
                    "exercises/SEALED.sha256 is out of date ({}): run `cargo xtask seal` and commit it",
                    changed.join(", ")
                ));
            }
        }
    }

    if !skip_book {
        println!("{}", bold("the book"));
        match book::build(course) {
            Ok(()) => println!("{}", green("  the book builds")),
            Err(e) => all_problems.push(format!("the book does not build: {e:#}")),
        }
    }

    println!();
    if !all_problems.is_empty() {
        println!("{}", red(&format!("{} problem(s):", all_problems.len())));
        for p in &all_problems {
            println!("  {p}");
        }
        return Ok(Done::NotPassed);
    }
    let mut summary = format!(
        "verified {} exercise(s): stubs fail {}/{} checks, solutions pass {}/{}",
        chosen.len(),
        total.stub_failed,
        total.checks,
        total.solution_passed,
        total.checks
    );
    if total.mistakes > 0 {
        summary.push_str(&format!(", mistakes caught by name {}/{}", total.mistakes_caught, total.mistakes));
    }
    if total.alternatives > 0 {
        summary.push_str(&format!(", alternatives pass {}/{}", total.alternatives_passed, total.alternatives));
    }
    println!("{}", green(&summary));
    println!(
        "time: stubs and solutions {}, fixtures {} (builds included)",
        render::seconds(total.direct_time),
        render::seconds(total.fixtures_time)
    );
    if total.inconclusive_checks > 0 {
        // Nothing failed, but not everything could be measured: say so, never round it up.
        println!(
            "{}",
            yellow(&format!(
                "not proven on this run: {} timing check(s) stayed inconclusive (the machine was busy); they are not counted above",
                total.inconclusive_checks
            ))
        );
    }
    Ok(Done::Passed)
}

/// Verify proves the files as they are. Say which differ from the commit: a maintainer
/// changing a stub wants exactly that proven, and a learner who ran `cargo test` after
/// solving an exercise learns why its stub now "passes".
fn note_edited_stubs(course: &Course, chosen: &[&Exercise]) {
    let edited: Vec<String> = chosen
        .iter()
        .filter_map(|ex| pristine::local_changes(&course.root, &ex.learner_src()))
        .flatten()
        .collect();
    if !edited.is_empty() {
        println!(
            "{} these stub files differ from the last commit, and are proven as they are now: {}\n      \
(a learner's solved exercise passes its checks, so its stub no longer fails them; `cargo xtask reset N` restores it)",
            yellow("note:"),
            edited.join(", ")
        );
    }
}

/// `checks` binaries built before any check runs, by package and feature.
#[derive(Default)]
struct Prebuilt {
    binaries: HashMap<(String, Option<String>), PathBuf>,
    /// The cargo runs that built the stubs and solutions, and those that built fixtures.
    direct_time: Duration,
    fixtures_time: Duration,
}

/// Builds the checks of the chosen stubs, solutions and fixtures before any check runs, in
/// waves of one side per chapter: one cargo run per wave compiles its packages side by
/// side on every core, and no build shares the cores with a measurement. A chapter whose
/// crates have programs (`[[bin]]`) is left out: cargo keeps one copy of a program per
/// name (`target/debug/ch06-worker`, where `CARGO_BIN_EXE_ch06-worker` points), so each of
/// its sides is built just before its checks run, as `check` does. The sides of a wave that
/// fails are built again one at a time, just before their checks, with their diagnostics.
fn build_ahead(course: &Course, chosen: &[&Exercise]) -> Result<Prebuilt> {
    let mut prebuilt = Prebuilt::default();
    let mut eligible = Vec::new();
    for ex in chosen {
        if !has_programs(&ex.exercise_dir) && !has_programs(&ex.solution_dir) && wiring::problems(course, ex)?.is_empty() {
            eligible.push((*ex, ex.fixtures()?));
        }
    }
    if eligible.is_empty() {
        return Ok(prebuilt);
    }
    let mut waves: Vec<Vec<Build>> = vec![
        eligible.iter().map(|(ex, _)| ex.build(Side::Exercise)).collect::<Result<_>>()?,
        eligible.iter().map(|(ex, _)| ex.build(Side::Solution)).collect::<Result<_>>()?,
    ];
    let most_fixtures = eligible.iter().map(|(_, f)| f.len()).max().unwrap_or(0);
    for k in 0..most_fixtures {
        waves.push(
            eligible
                .iter()
                .filter_map(|(ex, fixtures)| fixtures.get(k).map(|f| ex.build(Side::Fixture(f))))
                .collect::<Result<_>>()?,
        );
    }
    let sides: usize = waves.iter().map(Vec::len).sum();
    println!("building {sides} checks binaries ahead ({} chapter(s), {} cargo runs)", eligible.len(), waves.len());
    for (i, wave) in waves.into_iter().enumerate() {
        let started = Instant::now();
        if let Some(binaries) = cargo::build_checks_together(course, &wave)? {
            for (build, binary) in wave.into_iter().zip(binaries) {
                prebuilt.binaries.insert((build.package, build.feature), binary);
            }
        }
        if i < 2 {
            prebuilt.direct_time += started.elapsed();
        } else {
            prebuilt.fixtures_time += started.elapsed();
        }
    }
    println!(
        "  built in {} (stubs and solutions) and {} (fixtures)",
        render::seconds(prebuilt.direct_time),
        render::seconds(prebuilt.fixtures_time)
    );
    Ok(prebuilt)
}

/// Whether a crate has programs besides its library.
fn has_programs(dir: &Path) -> bool {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
    manifest.contains("[[bin]]") || dir.join("src/main.rs").is_file() || dir.join("src/bin").is_dir()
}

/// A side's checks, from the binary built ahead or built now.
fn prepare<'c>(course: &'c Course, ex: &Exercise, side: Side<'_>, prebuilt: &Prebuilt) -> Result<Result<Prepared<'c>, String>> {
    let build = ex.build(side)?;
    match prebuilt.binaries.get(&(build.package, build.feature)) {
        Some(binary) => Ok(Ok(run::prepare_built(course, ex, build.dir, binary.clone())?)),
        None => run::prepare(course, ex, side),
    }
}

fn prove(course: &Course, ex: &Exercise, prebuilt: &Prebuilt) -> Result<Proof> {
    let started = Instant::now();
    let mut proof = Proof { problems: wiring::problems(course, ex)?, ..Proof::default() };
    if !proof.problems.is_empty() {
        return Ok(proof);
    }

    // The stub: every check must fail, and fail fast (a stub that hangs is a defect).
    let Ok(stub) = prepare(course, ex, Side::Exercise, prebuilt)? else {
        proof.problems.push("the stub does not compile; a stub must compile and fail its checks".into());
        return Ok(proof);
    };
    proof.checks = stub.names.len();
    println!("  the stub, exercises/{}:", ex.slug);
    let Outcome::Ran { checks, .. } = stub.run_steps(Extent::AllSteps, |_, _| {}, print_indented)? else {
        unreachable!("a prepared crate compiled")
    };
    for result in &checks {
        let name = &result.name;
        match &result.verdict {
            Verdict::Failed { .. } | Verdict::NotImplemented { .. } => proof.stub_failed += 1,
            Verdict::Passed => proof.problems.push(format!("the stub passes `{name}`: the check proves nothing")),
            Verdict::TimedOut { .. } => proof.problems.push(format!("the stub hangs in `{name}`: stubs must fail fast")),
            Verdict::Inconclusive { .. } => {
                proof.problems.push(format!("`{name}` is inconclusive on the stub: it must fail before it measures"))
            }
        }
    }

    // The solution: every check must pass.
    println!("  the solution, solutions/{}:", ex.slug);
    match passes_every_check(course, ex, Side::Solution, prebuilt, &mut proof)? {
        Some(passed) => proof.solution_passed = passed,
        None => return Ok(proof),
    }

    proof.direct_time = started.elapsed();
    let fixtures_started = Instant::now();
    for fixture in ex.fixtures()? {
        println!("  {} {}: {}", fixture.kind_word(), fixture.name, fixture.what);
        match &fixture.kind {
            FixtureKind::Mistake { .. } => {
                proof.mistakes += 1;
                if is_caught(course, ex, &fixture, prebuilt, &mut proof)? {
                    proof.mistakes_caught += 1;
                }
            }
            FixtureKind::Alternative => {
                proof.alternatives += 1;
                if let Some(passed) = passes_every_check(course, ex, Side::Fixture(&fixture), prebuilt, &mut proof)?
                    && passed == proof.checks {
                        proof.alternatives_passed += 1;
                    }
            }
        }
    }
    proof.fixtures_time = fixtures_started.elapsed();
    Ok(proof)
}

/// Runs every check on a side that must pass them all; returns how many passed, or
/// `None` when it does not compile. Every check that fails is a problem.
fn passes_every_check(
    course: &Course,
    ex: &Exercise,
    side: Side<'_>,
    prebuilt: &Prebuilt,
    proof: &mut Proof,
) -> Result<Option<usize>> {
    let what = match side {
        Side::Fixture(f) => format!("{} {}", f.kind_word(), f.name),
        Side::Exercise | Side::Solution => "the solution".to_string(),
    };
    let prepared = match prepare(course, ex, side, prebuilt)? {
        Ok(p) => p,
        Err(diagnostics) => {
            proof.problems.push(format!("{what} does not compile:\n{}", strip_ansi(&diagnostics)));
            return Ok(None);
        }
    };
    let Outcome::Ran { checks, .. } = prepared.run_steps(Extent::AllSteps, |_, _| {}, |_| {})? else {
        unreachable!("a prepared crate compiled")
    };
    let mut passed = 0;
    for first in checks {
        let name = &first.name;
        let result = match first.verdict {
            Verdict::Inconclusive { .. } => run_until_conclusive(&prepared, name)?,
            _ => first.clone(),
        };
        if let Some(problem) = unmarked_measurement(ex, &result) {
            proof.problems.push(problem);
        }
        match &result.verdict {
            Verdict::Passed => passed += 1,
            Verdict::Inconclusive { .. } => proof.inconclusive_checks += 1,
            Verdict::Failed { .. } | Verdict::NotImplemented { .. } | Verdict::TimedOut { .. } => proof
                .problems
                .push(format!("{what} does not pass `{name}`: {}", result.verdict.explanation(name).unwrap_or_default())),
        }
        print_indented(&result);
    }
    Ok(Some(passed))
}

/// Runs the checks a mistake names: each must not pass, and must say why in its words.
fn is_caught(course: &Course, ex: &Exercise, fixture: &Fixture, prebuilt: &Prebuilt, proof: &mut Proof) -> Result<bool> {
    let FixtureKind::Mistake { fails } = &fixture.kind else { return Ok(false) };
    let prepared = match prepare(course, ex, Side::Fixture(fixture), prebuilt)? {
        Ok(p) => p,
        Err(_) => {
            proof.problems.push(format!("mistake {} does not compile; a mistake fixture must compile", fixture.name));
            return Ok(false);
        }
    };
    let mut caught = true;
    for expected in fails {
        let result = run_until_conclusive(&prepared, &expected.check)?;
        print_indented(&result);
        let said = result.verdict.explanation(&expected.check).unwrap_or_default();
        let names_it = said.to_lowercase().contains(&expected.message.to_lowercase());
        match &result.verdict {
            Verdict::Passed => {
                proof.problems.push(format!("the checks miss mistake {}: `{}` passes", fixture.name, expected.check));
                caught = false;
            }
            Verdict::Inconclusive { .. } => {
                // Not passed, but not proven either: the machine was too busy to tell.
                proof.inconclusive_checks += 1;
                caught = false;
            }
            Verdict::Failed { .. } | Verdict::NotImplemented { .. } | Verdict::TimedOut { .. } if !names_it => {
                proof.problems.push(format!(
                    "`{}` fails on mistake {} but does not name it: its message lacks \"{}\"",
                    expected.check, fixture.name, expected.message
                ));
                caught = false;
            }
            Verdict::Failed { .. } | Verdict::NotImplemented { .. } | Verdict::TimedOut { .. } => {}
        }
    }
    Ok(caught)
}

/// A check that measured through the timing crate must say `// timed` in the checks
/// file, so the runner keeps other checks off the cores while it measures.
fn unmarked_measurement(ex: &Exercise, result: &CheckResult) -> Option<String> {
    let check = ex.check(&result.name)?;
    (result.output.contains(protocol::MEASURED) && !check.timed).then(|| {
        format!(
            "`{}` measures time (it went through the timing crate) but is not marked `// timed` in exercises/{}/tests/checks.rs",
            result.name, ex.slug
        )
    })
}

fn run_until_conclusive(prepared: &Prepared, name: &str) -> Result<CheckResult> {
    let mut result = prepared.run(name)?;
    for _ in 0..INCONCLUSIVE_RERUNS {
        if !matches!(result.verdict, Verdict::Inconclusive { .. }) {
            break;
        }
        result = prepared.run(name)?;
    }
    Ok(result)
}

fn print_indented(result: &CheckResult) {
    // Under a chapter's heading, a check's lines sit one level deeper than in `check`.
    for line in render::check_lines(result).lines() {
        println!("  {line}");
    }
}
