//! `cargo xtask verify`: the maintainers' proof that the course is honest. For
//! every chapter: page, exercise and solution exist and are wired together; every
//! check fails on the untouched stub; every check passes on the solution; the book
//! builds. It runs the very pipeline learners run (`checks::prepare`).

use std::fs;

use anyhow::{Context, Result};
use serde::Deserialize;

use super::book;
use crate::checks::{self, CheckResult, Prepared};
use crate::course::{Course, Exercise, Side};
use crate::output::{self, bold, green, red, yellow};
use crate::verdict::Verdict;
use crate::{Done, pristine};

/// How often a solution's inconclusive timing check is measured again before it is
/// reported as unmeasured. The timing helper already retries inside one run.
const INCONCLUSIVE_RERUNS: usize = 2;

/// What one exercise's proof found.
struct Proof {
    stub_failed: usize,
    solution_passed: usize,
    inconclusive_checks: usize,
    checks: usize,
    mistakes: usize,
    mistakes_caught: usize,
    problems: Vec<String>,
}

pub fn run(course: &Course, names: &[String], skip_book: bool) -> Result<Done> {
    let chosen: Vec<&Exercise> = if names.is_empty() {
        course.exercises.iter().collect()
    } else {
        names
            .iter()
            .map(|n| course.find(n))
            .collect::<Result<_>>()?
    };
    note_edited_stubs(course, &chosen);

    let mut all_problems = Vec::new();
    let mut inconclusive = 0;
    // Totals for the closing line: it says exactly what was proven, no more.
    let (mut checks, mut stub_failed, mut solution_passed) = (0, 0, 0);
    let (mut mistakes, mut mistakes_caught) = (0, 0);
    for (i, ex) in chosen.iter().enumerate() {
        println!(
            "{}",
            output::exercise_heading(ex, Some((i + 1, chosen.len())))
        );
        let proof = prove(course, ex)?;
        let mut line = format!(
            "  stub fails {}/{} checks · solution passes {}/{} checks",
            proof.stub_failed, proof.checks, proof.solution_passed, proof.checks
        );
        if proof.mistakes > 0 {
            line.push_str(&format!(
                " · {}/{} mistakes caught by name",
                proof.mistakes_caught, proof.mistakes
            ));
        }
        if proof.problems.is_empty() {
            println!("{}", green(&line));
        } else {
            println!("{}", red(&line));
        }
        if proof.inconclusive_checks > 0 {
            println!(
                "{}",
                yellow(&format!(
                    "  {} timing check(s) stayed inconclusive on the solution or a mistake (the machine was busy): not counted as passed",
                    proof.inconclusive_checks
                ))
            );
        }
        for p in &proof.problems {
            println!("  {} {p}", red("✘"));
        }
        inconclusive += proof.inconclusive_checks;
        checks += proof.checks;
        stub_failed += proof.stub_failed;
        solution_passed += proof.solution_passed;
        mistakes += proof.mistakes;
        mistakes_caught += proof.mistakes_caught;
        all_problems.extend(
            proof
                .problems
                .into_iter()
                .map(|p| format!("{}: {p}", ex.slug)),
        );
    }

    // Graders trust `check --strict` only if the seal matches what the maintainers ship.
    match crate::seal::committed(&course.root)? {
        None => all_problems.push(
            "exercises/SEALED.sha256 is missing: run `cargo xtask seal` and commit it".into(),
        ),
        Some(sealed) => {
            let changed = crate::seal::differences(&sealed, &crate::seal::current(course)?);
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
        match book(course, false) {
            Ok(_) => println!("{}", green("  the book builds")),
            Err(e) => all_problems.push(format!("the book does not build: {e:#}")),
        }
    }

    println!();
    if all_problems.is_empty() {
        let mut summary = format!(
            "verified {} exercise(s): stubs fail {stub_failed}/{checks} checks, solutions pass {solution_passed}/{checks}",
            chosen.len()
        );
        if mistakes > 0 {
            summary.push_str(&format!(
                ", mistakes caught by name {mistakes_caught}/{mistakes}"
            ));
        }
        println!("{}", green(&summary));
        if inconclusive > 0 {
            // Nothing failed, but not everything could be measured: say so, never round it up.
            println!(
                "{}",
                yellow(&format!(
                    "not proven on this run: {inconclusive} timing check(s) stayed inconclusive (the machine was busy); they are not counted above"
                ))
            );
        }
        Ok(Done::Passed)
    } else {
        println!("{}", red(&format!("{} problem(s):", all_problems.len())));
        for p in &all_problems {
            println!("  {p}");
        }
        Ok(Done::NotPassed)
    }
}

/// Verify proves the files as they are. Say which differ from the commit: a maintainer
/// changing a stub wants exactly that proven, and a learner who ran `cargo test` after
/// solving an exercise learns why its stub now "passes".
fn note_edited_stubs(course: &Course, chosen: &[&Exercise]) {
    let mut edited = Vec::new();
    for ex in chosen {
        if let Some(changes) =
            pristine::local_changes(&course.root, &ex.exercise_dir(course).join("src"))
        {
            edited.extend(changes);
        }
    }
    if !edited.is_empty() {
        println!(
            "{} these stub files differ from the last commit, and are proven as they are now: {}\n      \
(a learner's solved exercise passes its checks, so its stub no longer fails them; `cargo xtask reset N` restores it)",
            yellow("note:"),
            edited.join(", ")
        );
    }
}

fn prove(course: &Course, ex: &Exercise) -> Result<Proof> {
    let mut proof = Proof {
        stub_failed: 0,
        solution_passed: 0,
        inconclusive_checks: 0,
        checks: 0,
        mistakes: 0,
        mistakes_caught: 0,
        problems: Vec::new(),
    };
    proof.problems.extend(wiring_problems(course, ex)?);
    if !proof.problems.is_empty() {
        return Ok(proof);
    }

    // The stub: every check must fail, and fail fast (a stub that hangs is a defect).
    let stub = match checks::prepare(course, ex, Side::Exercise)? {
        Ok(p) => p,
        Err(_) => {
            proof
                .problems
                .push("the stub does not compile; a stub must compile and fail its checks".into());
            return Ok(proof);
        }
    };
    proof.checks = stub.names.len();
    println!("  the stub, exercises/{}:", ex.slug);
    for name in &stub.names {
        let result = stub.run(name)?;
        match &result.verdict {
            Verdict::Failed { .. } | Verdict::NotImplemented { .. } => proof.stub_failed += 1,
            Verdict::Passed => proof.problems.push(format!(
                "the stub passes `{name}`: the check proves nothing"
            )),
            Verdict::TimedOut { .. } => proof
                .problems
                .push(format!("the stub hangs in `{name}`: stubs must fail fast")),
            Verdict::Inconclusive { .. } => proof.problems.push(format!(
                "`{name}` is inconclusive on the stub: it must fail before it measures"
            )),
        }
        print_indented(&result);
    }

    // The solution: every check must pass.
    let solution = match checks::prepare(course, ex, Side::Solution)? {
        Ok(p) => p,
        Err(diagnostics) => {
            proof.problems.push(format!(
                "the solution does not compile:\n{}",
                output::strip_ansi(&diagnostics)
            ));
            return Ok(proof);
        }
    };
    println!("  the solution, solutions/{}:", ex.slug);
    if solution.names != stub.names {
        proof
            .problems
            .push("the solution's checks are not the exercise's checks".into());
    }
    for name in &solution.names {
        let result = run_until_conclusive(&solution, name)?;
        match &result.verdict {
            Verdict::Passed => proof.solution_passed += 1,
            Verdict::Inconclusive { .. } => proof.inconclusive_checks += 1,
            v => proof.problems.push(format!(
                "the solution does not pass `{name}`: {}",
                v.explanation(name).unwrap_or_default()
            )),
        }
        print_indented(&result);
    }

    // Each mistake fixture: the checks it names must not pass, and must say why.
    for mistake in ex.mistakes(course)? {
        proof.mistakes += 1;
        println!("  mistake {}: {}", mistake.name, mistake.what);
        let prepared =
            match checks::prepare_crate(course, ex, mistake.dir.clone(), &mistake.package)? {
                Ok(p) => p,
                Err(_) => {
                    proof.problems.push(format!(
                        "mistake {} does not compile; a mistake fixture must compile",
                        mistake.name
                    ));
                    continue;
                }
            };
        let mut caught = !mistake.fails.is_empty();
        for expected in &mistake.fails {
            if !prepared.names.contains(&expected.check) {
                proof.problems.push(format!(
                    "mistake {} names a check that does not exist: `{}`",
                    mistake.name, expected.check
                ));
                caught = false;
                continue;
            }
            let result = run_until_conclusive(&prepared, &expected.check)?;
            print_indented(&result);
            let said = result
                .verdict
                .explanation(&expected.check)
                .unwrap_or_default();
            match &result.verdict {
                Verdict::Passed => {
                    proof.problems.push(format!(
                        "the checks miss mistake {}: `{}` passes",
                        mistake.name, expected.check
                    ));
                    caught = false;
                }
                Verdict::Inconclusive { .. } => {
                    // Not passed, but not proven either: the machine was too busy to tell.
                    proof.inconclusive_checks += 1;
                    caught = false;
                }
                _ if !said
                    .to_lowercase()
                    .contains(&expected.message.to_lowercase()) =>
                {
                    proof.problems.push(format!(
                        "`{}` fails on mistake {} but does not name it: its message lacks \"{}\"",
                        expected.check, mistake.name, expected.message
                    ));
                    caught = false;
                }
                _ => {}
            }
        }
        if caught {
            proof.mistakes_caught += 1;
        }
    }
    Ok(proof)
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
    for line in output::check_lines(result).lines() {
        println!("  {line}");
    }
}

#[derive(Deserialize)]
struct SolutionManifest {
    package: Named,
    lib: Option<Named>,
    #[serde(default)]
    test: Vec<TestTarget>,
}

#[derive(Deserialize)]
struct Named {
    name: Option<String>,
}

#[derive(Deserialize)]
struct TestTarget {
    name: String,
    path: Option<String>,
}

/// Page, exercise and solution exist, are named by the convention and share one checks file.
fn wiring_problems(course: &Course, ex: &Exercise) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let page = ex.page(course);
    if !page.is_file() {
        problems.push(format!("no page src/{}.md", ex.slug));
    }
    let summary = fs::read_to_string(course.root.join("src/SUMMARY.md")).unwrap_or_default();
    if !summary.contains(&format!("({}.md)", ex.slug)) {
        problems.push(format!("src/SUMMARY.md does not link {}.md", ex.slug));
    }
    if page.is_file() && !fs::read_to_string(&page)?.contains("{{#exercise}}") {
        problems.push(format!("src/{}.md has no {{{{#exercise}}}} box", ex.slug));
    }
    let sol_dir = ex.solution_dir(course);
    let manifest_path = sol_dir.join("Cargo.toml");
    let Ok(text) = fs::read_to_string(&manifest_path) else {
        problems.push(format!("no solution crate solutions/{}", ex.slug));
        return Ok(problems);
    };
    let manifest: SolutionManifest =
        toml::from_str(&text).with_context(|| format!("reading {}", manifest_path.display()))?;
    let (_, expected_package) = ex.side(course, Side::Solution);
    if manifest.package.name.as_deref() != Some(expected_package.as_str()) {
        problems.push(format!(
            "the solution's package must be named {expected_package}"
        ));
    }
    let ex_manifest: SolutionManifest = toml::from_str(&fs::read_to_string(
        ex.exercise_dir(course).join("Cargo.toml"),
    )?)?;
    let lib = |m: &SolutionManifest| m.lib.as_ref().and_then(|l| l.name.clone());
    if lib(&manifest) != lib(&ex_manifest) || lib(&manifest).is_none() {
        problems.push("exercise and solution must declare the same [lib] name".into());
    }
    let wanted = format!("../../exercises/{}/tests/checks.rs", ex.slug);
    if !manifest
        .test
        .iter()
        .any(|t| t.name == "checks" && t.path.as_deref() == Some(wanted.as_str()))
    {
        problems.push(format!(
            "the solution's `checks` test must point at {wanted}, not a copy"
        ));
    }
    if sol_dir.join("tests").exists() {
        problems.push(format!(
            "solutions/{}/tests exists: the checks live only in the exercise",
            ex.slug
        ));
    }
    Ok(problems)
}
