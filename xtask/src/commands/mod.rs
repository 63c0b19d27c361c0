//! One module per runner command; the small ones live here.

mod check;
mod reset;
mod trace;
mod verify;
mod watch;

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

use crate::checks;
use crate::course::{Course, Exercise, Side};
use crate::output::{bold, green, yellow};
use crate::progress::Progress;
use crate::{Command, Done, UserError, pristine};

/// Runs a parsed command (none: where the learner stands).
pub fn run(command: Option<Command>) -> Result<Done> {
    let course = Course::discover()?;
    match command {
        None => status(&course),
        Some(Command::Check {
            exercises,
            all,
            json,
            strict,
        }) => {
            if strict {
                check::refuse_unsealed(&course)?;
            }
            check::run(&course, &exercises, all, json.as_deref())
        }
        Some(Command::Seal) => {
            let n = crate::seal::write(&course)?;
            println!("sealed {n} shipped files in exercises/SEALED.sha256; commit it");
            Ok(Done::Passed)
        }
        Some(Command::List) => list(&course),
        Some(Command::Watch) => watch::run(&course),
        Some(Command::Trace { exercise }) => trace::run(&course, &exercise),
        Some(Command::Hint { exercise }) => hint(&course, &exercise),
        Some(Command::Solution {
            exercise,
            show_anyway,
        }) => solution(&course, &exercise, show_anyway),
        Some(Command::Reset { exercise }) => reset::run(&course, &exercise),
        Some(Command::Book { open }) => book(&course, open),
        Some(Command::Verify {
            exercises,
            skip_book,
        }) => verify::run(&course, &exercises, skip_book),
        Some(Command::ComparePython { args }) => compare_python(&course, &args),
        Some(Command::Bench { exercises }) => bench(&course, &exercises),
        Some(Command::Pictures { out }) => pictures(&course, out),
    }
}

/// Loads progress, says so when the file was unreadable, and records the base commit
/// on the first run.
fn load_progress(course: &Course) -> Result<Progress> {
    let mut progress = Progress::load(&course.root);
    if progress.was_corrupt {
        eprintln!(
            "{} .course/progress could not be read; it is rebuilt from your next checks (nothing is lost: a re-check tells what passes)",
            yellow("note:")
        );
    }
    if progress.base.is_none() {
        progress.base = pristine::head(&course.root);
        progress.save(&course.root)?;
    }
    Ok(progress)
}

/// The first exercise not yet passed, if any.
fn current<'a>(course: &'a Course, progress: &Progress) -> Option<&'a Exercise> {
    course
        .exercises
        .iter()
        .find(|e| !progress.passed.contains(&e.slug))
}

/// The one next step, in a sentence or two.
fn next_step(course: &Course, progress: &Progress) -> String {
    match current(course, progress) {
        // Short lines: the longest slug still fits 80 columns.
        Some(ex) => format!(
            "Next: {}\n  read its chapter in the book: {}\n  edit exercises/{}/src, then run cargo xtask check\n  stuck? cargo xtask hint {:02}",
            bold(&ex.slug),
            relative(course, &ex.page(course)),
            ex.slug,
            ex.number
        ),
        None => format!(
            "{} You have passed every exercise. `cargo xtask solution N` shows a reference solution to compare with yours.",
            green("Done.")
        ),
    }
}

fn relative(course: &Course, path: &Path) -> String {
    path.strip_prefix(&course.root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn status(course: &Course) -> Result<Done> {
    let first_run = !Progress::load(&course.root).existed;
    let progress = load_progress(course)?;
    if first_run {
        println!("{}", bold("Welcome to Beyond the GIL."));
        println!("Each chapter takes one idea from Python's concurrency story, rebuilds it in");
        println!("Rust and measures it; each ends in an exercise that `cargo xtask check` checks.");
        println!("  Read the book:      cargo xtask book --open   (nothing to install)");
        println!("  Check your work:    cargo xtask check");
        println!("  See all exercises:  cargo xtask list");
        println!();
    }
    let passed = course
        .exercises
        .iter()
        .filter(|e| progress.passed.contains(&e.slug))
        .count();
    println!("{passed} of {} exercises passed.", course.exercises.len());
    println!("{}", next_step(course, &progress));
    Ok(Done::Passed)
}

fn list(course: &Course) -> Result<Done> {
    let progress = load_progress(course)?;
    let current = current(course, &progress).map(|e| e.slug.clone());
    for ex in &course.exercises {
        let (mark, state) = if progress.passed.contains(&ex.slug) {
            (green("✔"), green("passed "))
        } else if current.as_deref() == Some(ex.slug.as_str()) {
            (yellow("→"), yellow("current"))
        } else {
            (" ".into(), "       ".into())
        };
        println!("{mark} {state}  {:<32} {}", ex.slug, ex.title);
    }
    Ok(Done::Passed)
}

fn hint(course: &Course, name: &str) -> Result<Done> {
    let ex = course.find(name)?;
    println!("{}", bold(&format!("Hint for {}", ex.slug)));
    if ex.hint.is_empty() {
        println!(
            "This exercise has no hint; its chapter, {}, walks through the idea.",
            relative(course, &ex.page(course))
        );
    } else {
        println!("{}", ex.hint);
    }
    Ok(Done::Passed)
}

fn solution(course: &Course, name: &str, show_anyway: bool) -> Result<Done> {
    let ex = course.find(name)?;
    let progress = load_progress(course)?;
    if !progress.passed.contains(&ex.slug) && !show_anyway {
        println!(
            "{} has not passed yet, so its solution stays hidden:",
            ex.slug
        );
        println!(
            "solving it is where the learning is. Try `cargo xtask hint {:02}` first,",
            ex.number
        );
        println!(
            "or look anyway: cargo xtask solution {:02} --show-anyway",
            ex.number
        );
        return Ok(Done::NotPassed);
    }
    let src = ex.solution_dir(course).join("src");
    let mut files = Vec::new();
    collect_files(&src, &mut files)?;
    files.sort();
    for file in files {
        let text =
            fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
        println!("{}", bold(&format!("── {} ──", relative(course, &file))));
        println!("{text}");
    }
    println!(
        "Compare with yours: diff -ru exercises/{0}/src solutions/{0}/src",
        ex.slug
    );
    Ok(Done::Passed)
}

/// Every file below `dir`, recursively.
pub(crate) fn collect_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry
            .with_context(|| format!("listing {}", dir.display()))?
            .path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn book(course: &Course, open: bool) -> Result<Done> {
    let dest = course.root.join("book");
    let dest_arg = dest.to_string_lossy().into_owned();
    let root_arg = course.root.to_string_lossy().into_owned();
    let mut args = vec![
        "run",
        "--quiet",
        "--package",
        "xtask-book",
        "--",
        "--root",
        &root_arg,
        "--dest",
        &dest_arg,
    ];
    if open {
        args.push("--open");
    }
    let status = checks::cargo_passthrough(course, &args)?;
    if !status.success() {
        return Err(UserError::new("the book did not build; the messages above say why").into());
    }
    Ok(Done::Passed)
}

/// The model is measured against CPython in release mode: the comparison is about the
/// GIL's behaviour, and debug builds would add interpreter overhead CPython does not have.
fn compare_python(course: &Course, extra: &[String]) -> Result<Done> {
    let mut args = vec![
        "run",
        "--quiet",
        "--release",
        "--package",
        "python-model",
        "--bin",
        "compare-python",
        "--",
    ];
    args.extend(extra.iter().map(String::as_str));
    let status = checks::cargo_passthrough(course, &args)?;
    Ok(if status.success() {
        Done::Passed
    } else {
        Done::NotPassed
    })
}

/// Speed targets live here, not in the checks: each chapter's reference solution may have
/// an `examples/bench.rs`, run in release mode because absolute speed is the point.
fn bench(course: &Course, names: &[String]) -> Result<Done> {
    let chosen: Vec<&Exercise> = if names.is_empty() {
        course.exercises.iter().collect()
    } else {
        names
            .iter()
            .map(|n| course.find(n))
            .collect::<Result<_>>()?
    };
    let mut ran = 0;
    let mut all_ok = true;
    for ex in chosen {
        if !ex.solution_dir(course).join("examples/bench.rs").is_file() {
            if !names.is_empty() {
                println!(
                    "{} has no benchmark (solutions/{}/examples/bench.rs)",
                    ex.slug, ex.slug
                );
            }
            continue;
        }
        let (_, package) = ex.side(course, Side::Solution);
        println!(
            "{}",
            bold(&format!(
                "{} · cargo run --release -p {package} --example bench",
                ex.slug
            ))
        );
        let status = checks::cargo_passthrough(
            course,
            &[
                "run",
                "--quiet",
                "--release",
                "--package",
                &package,
                "--example",
                "bench",
            ],
        )?;
        all_ok &= status.success();
        ran += 1;
    }
    if ran == 0 {
        return Err(UserError::new("no benchmark to run: none of the chosen chapters has solutions/NN-slug/examples/bench.rs").into());
    }
    Ok(if all_ok {
        Done::Passed
    } else {
        Done::NotPassed
    })
}

/// Every picture in the book is drawn by the course's own code from a real run; this
/// redraws them. Release mode, because the runs are timed and pictured as they happen.
fn pictures(course: &Course, out: Option<std::path::PathBuf>) -> Result<Done> {
    let img = match out {
        Some(dir) => std::env::current_dir()?.join(dir),
        None => course.root.join("src/img"),
    };
    fs::create_dir_all(&img).with_context(|| format!("could not create {}", img.display()))?;
    let out = img.to_string_lossy().into_owned();
    let amdahl = img.join("07-amdahl.svg").to_string_lossy().into_owned();
    let mut runs: Vec<Vec<String>> = vec![
        // The GIL timelines (chapters 04 and 05).
        strings(&[
            "run",
            "--quiet",
            "--release",
            "--package",
            "timeline",
            "--bin",
            "book-pictures",
            "--",
            "--out",
            &out,
        ]),
        // Amdahl's curve from a real rayon run (chapter 07).
        strings(&[
            "run",
            "--quiet",
            "--release",
            "--package",
            "sol07-parallelism-with-rayon",
            "--example",
            "bench",
            "--",
            "--svg",
            &amdahl,
        ]),
    ];
    // Every other chapter draws its own: `solutions/NN-slug/examples/picture.rs`, run
    // with `--out src/img`, writes `src/img/NN-*.svg` from a real run of the solution.
    for ex in &course.exercises {
        if ex
            .solution_dir(course)
            .join("examples/picture.rs")
            .is_file()
        {
            let (_, package) = ex.side(course, Side::Solution);
            runs.push(strings(&[
                "run",
                "--quiet",
                "--release",
                "--package",
                &package,
                "--example",
                "picture",
                "--",
                "--out",
                &out,
            ]));
        }
    }
    let mut all_ok = true;
    for args in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        println!("{}", bold(&format!("cargo {}", args.join(" "))));
        all_ok &= checks::cargo_passthrough(course, &args)?.success();
    }
    Ok(if all_ok {
        Done::Passed
    } else {
        Done::NotPassed
    })
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| (*a).to_string()).collect()
}
