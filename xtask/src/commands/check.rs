//! `cargo xtask check`: the learner's main job.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use course::{Course, Exercise, Progress, Side, UserError, seal};

use crate::learner::{current, load_progress, next_step_after};
use crate::render::{self, Tally};
use crate::run::{self, Extent, Outcome};
use crate::terminal::{bold, green, red};
use crate::{Done, results_json};

/// Checks the named exercises (none: the current one and those before it).
pub fn run(course: &Course, names: &[String], all: bool, json: Option<&Path>) -> Result<Done> {
    let mut progress = load_progress(course)?;
    let chosen: Vec<&Exercise> = match (all || !names.is_empty(), current(course, &progress)) {
        (true, _) | (false, None) => course.select(names, all)?,
        (false, Some(cur)) => course.exercises.iter().take_while(|e| e.number <= cur.number).collect(),
    };

    check_and_report(course, &mut progress, chosen, json)
}

/// Checks the chosen exercises in order, prints every verdict and the summary, saves
/// progress, and names the next step. Shared by `check` and `watch`. A learner sees one
/// step at a time: the first step that does not pass in full, the later ones named.
/// With `json` (instructors) every step runs, so the results are complete.
pub fn check_and_report(
    course: &Course,
    progress: &mut Progress,
    chosen: Vec<&Exercise>,
    json: Option<&Path>,
) -> Result<Done> {
    let extent = if json.is_some() { Extent::AllSteps } else { Extent::UpToFirstUnfinishedStep };
    let mut tally = Tally::default();
    let mut results = Vec::new();
    let started = Instant::now();
    let mut checks_time = Duration::ZERO;
    let total = chosen.len();
    for (i, ex) in chosen.into_iter().enumerate() {
        println!("{}", render::exercise_heading(ex, Some((i + 1, total))));
        let exercise_started = Instant::now();
        let outcome = match run::prepare(course, ex, Side::Exercise)? {
            Err(diagnostics) => Outcome::DoesNotCompile { diagnostics },
            Ok(prepared) => prepared.run_steps(
                extent,
                |i, step| {
                    if let Some(line) = render::step_heading(ex, i, step) {
                        println!("{line}");
                    }
                },
                |check| print!("{}", render::check_lines(check)),
            )?,
        };
        match &outcome {
            Outcome::DoesNotCompile { .. } => print!("{}", render::does_not_compile(ex)),
            Outcome::Ran { checks, steps_run, .. } => {
                if let Some(line) = render::later_steps(ex, *steps_run) {
                    println!("{line}");
                }
                checks_time += checks.iter().map(|c| c.elapsed).sum::<Duration>();
                if total > 1 {
                    println!("{}", render::exercise_total(ex, checks, exercise_started.elapsed()));
                }
            }
        }
        tally.add(&outcome);
        if let Outcome::Ran { steps_passed, .. } = &outcome {
            progress.record_steps(ex, *steps_passed);
        }
        if outcome.all_passed() {
            progress.record_pass(ex)?;
        } else {
            progress.forget_pass(ex);
        }
        // Saved after each exercise so an interrupted `check --all` keeps what it learned.
        progress.save(&course.root)?;
        results.push((ex, outcome));
    }

    let every_check_passed = results.iter().all(|(_, o)| o.all_passed());
    println!();
    // Where the time went: the learner's checks, and the runner's own work (mostly the build).
    let summary = format!(
        "{} (checks {:.1} s, build and runner {:.1} s)",
        tally.summary(),
        checks_time.as_secs_f64(),
        started.elapsed().saturating_sub(checks_time).as_secs_f64()
    );
    println!("{}", if every_check_passed { green(&summary) } else { red(&summary) });
    if let Some((ex, _)) = results.iter().find(|(_, o)| !o.all_passed()) {
        println!("{} does not pass yet: the lines under each ✘ above say why.", bold(&ex.slug));
    }
    let checked: Vec<&Exercise> = results.iter().map(|(ex, _)| *ex).collect();
    println!("{}", next_step_after(course, progress, Some(&checked)));
    if let Some(path) = json {
        results_json::write(path, &results, progress)?;
        println!("Results written to {}", path.display());
    }
    Ok(if every_check_passed { Done::Passed } else { Done::NotPassed })
}

/// For graders: the checks that run must be the checks that shipped.
pub fn refuse_unsealed(course: &Course) -> Result<()> {
    let Some(sealed) = seal::committed(&course.root)? else {
        return Err(UserError::new(
            "--strict compares the checks with exercises/SEALED.sha256, which this checkout does not have; restore it from git",
        )
        .into());
    };
    let changed = seal::differences(&sealed, &seal::current(course)?);
    if changed.is_empty() {
        return Ok(());
    }
    Err(UserError::new(format!(
        "refusing to grade: these shipped files differ from exercises/SEALED.sha256: {}; restore them (git checkout -- FILE) and check again",
        changed.join(", ")
    ))
    .into())
}
