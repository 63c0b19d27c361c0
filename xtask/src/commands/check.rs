//! `cargo xtask check`: the learner's main job.

use std::path::Path;

use anyhow::Result;

use super::{current, load_progress, next_step};
use crate::checks::{self, Outcome};
use crate::course::{Course, Exercise, Side};
use crate::output::{self, Tally, bold, green, red};
use crate::{Done, UserError, results_json, seal};

/// Checks the named exercises (none: the current one and those before it).
pub fn run(course: &Course, names: &[String], all: bool, json: Option<&Path>) -> Result<Done> {
    let mut progress = load_progress(course)?;
    let chosen: Vec<&Exercise> = if all {
        course.exercises.iter().collect()
    } else if !names.is_empty() {
        let mut chosen = Vec::new();
        for name in names {
            let ex = course.find(name)?;
            if !chosen.iter().any(|c: &&Exercise| c.slug == ex.slug) {
                chosen.push(ex);
            }
        }
        chosen
    } else {
        match current(course, &progress) {
            Some(cur) => course
                .exercises
                .iter()
                .take_while(|e| e.number <= cur.number)
                .collect(),
            None => course.exercises.iter().collect(),
        }
    };

    check_and_report(course, &mut progress, chosen, json)
}

/// Checks the chosen exercises in order, prints every verdict and the summary, saves
/// progress, and names the next step. Shared by `check` and `watch`.
pub fn check_and_report(
    course: &Course,
    progress: &mut crate::progress::Progress,
    chosen: Vec<&Exercise>,
    json: Option<&Path>,
) -> Result<Done> {
    let mut tally = Tally::default();
    let mut results = Vec::new();
    let started = std::time::Instant::now();
    let mut checks_time = std::time::Duration::ZERO;
    let total = chosen.len();
    for (i, ex) in chosen.into_iter().enumerate() {
        println!("{}", output::exercise_heading(ex, Some((i + 1, total))));
        let outcome = checks::run_exercise(course, ex, Side::Exercise, |check| {
            print!("{}", output::check_lines(check));
        })?;
        if let Outcome::DoesNotCompile { .. } = outcome {
            print!("{}", output::does_not_compile(ex));
        }
        tally.add(&outcome);
        if let Outcome::Ran { checks } = &outcome {
            checks_time += checks
                .iter()
                .map(|c| c.elapsed)
                .sum::<std::time::Duration>();
        }
        if outcome.all_passed() {
            progress.passed.insert(ex.slug.clone());
        } else {
            progress.passed.remove(&ex.slug);
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
    println!(
        "{}",
        if every_check_passed {
            green(&summary)
        } else {
            red(&summary)
        }
    );
    for (ex, outcome) in &results {
        if !outcome.all_passed() {
            println!(
                "{} does not pass yet: the lines under each ✘ above say why.",
                bold(&ex.slug)
            );
            break;
        }
    }
    println!("{}", next_step(course, progress));
    if let Some(path) = json {
        results_json::write(path, &results)?;
        println!("Results written to {}", path.display());
    }
    Ok(if every_check_passed {
        Done::Passed
    } else {
        Done::NotPassed
    })
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
