//! `cargo xtask hint EXERCISE [STEP] [--all]`: a ladder of hints per step. Each call
//! shows one rung more for the step the learner is on (the idea and the page section,
//! then the APIs and the shape, then close to the code); `--all` shows every rung.
//! The rung reached is kept with the progress and reported to instructors.

use anyhow::Result;
use course::hints::RUNGS;
use course::{Course, Exercise, Hints, Progress, Step, UserError};

use crate::Done;
use crate::learner::load_progress;
use crate::terminal::{bold, dim};

/// What each rung holds, as the learner is told.
const RUNG_WORDS: [&str; 3] = ["the idea", "the APIs and the shape of the code", "close to the code"];

pub fn run(course: &Course, name: &str, step: Option<&str>, all: bool) -> Result<Done> {
    let ex = course.find(name)?;
    let mut progress = load_progress(course)?;
    let Some(hints) = Hints::load(&ex.solution_dir)? else {
        // A chapter without a ladder has one hint, in its metadata.
        println!("{}", bold(&format!("Hint for {}", ex.slug)));
        match ex.hint.is_empty() {
            true => println!("This exercise has no hint; its chapter, {}, walks through the idea.", course.relative(&ex.page)),
            false => println!("{}", ex.hint),
        }
        return Ok(Done::Passed);
    };
    let chosen_by_progress = step.is_none();
    let (index, step) = choose_step(ex, &progress, step)?;
    let Some(ladder) = hints.ladders.get(&step.name) else {
        return Err(UserError::new(format!(
            "solutions/{}/hints.toml has no hints for step `{}`; this is a bug in the course",
            ex.slug, step.name
        ))
        .into());
    };
    let place = format!("{} · step {} of {}: {}", ex.slug, index + 1, ex.steps.len(), step.name);
    let reached = progress.hint_rung(ex, &step.name);
    let rungs: Vec<usize> = if all { (1..=RUNGS.len()).collect() } else { vec![(reached + 1).min(RUNGS.len())] };
    for &rung in &rungs {
        println!("{}", bold(&format!("{place} · hint {rung} of {}: {}", RUNGS.len(), RUNG_WORDS[rung - 1])));
        println!("{}\n", ladder.rung(rung));
    }
    if chosen_by_progress && ex.steps.len() > 1 {
        let others: Vec<&str> = ex.steps.iter().map(|s| s.name.as_str()).filter(|n| *n != step.name).collect();
        println!(
            "{}",
            dim(&format!(
                "(step {} is where your last check stopped; for another step: cargo xtask hint {:02} STEP, with STEP one of {})",
                index + 1,
                ex.number,
                others.join(", ")
            ))
        );
    }
    let top = rungs.iter().copied().max().unwrap_or(1);
    progress.record_hint(ex, &step.name, top);
    progress.save(&course.root)?;
    if top < RUNGS.len() {
        println!(
            "{}",
            dim(&format!(
                "Still stuck? `cargo xtask hint {:02}` again gives hint {} of {}: {}.",
                ex.number,
                top + 1,
                RUNGS.len(),
                RUNG_WORDS[top]
            ))
        );
    } else {
        println!("{}", dim("That was the last hint of this step. The checks' messages say what they measured."));
    }
    Ok(Done::Passed)
}

/// The step named (by name or number), else the first that does not pass yet.
fn choose_step<'e>(ex: &'e Exercise, progress: &Progress, wanted: Option<&str>) -> Result<(usize, &'e Step)> {
    if let Some(wanted) = wanted {
        let by_number = wanted.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
        let found = ex.steps.iter().enumerate().find(|(i, s)| Some(*i) == by_number || s.name == wanted);
        return found.ok_or_else(|| {
            let names: Vec<&str> = ex.steps.iter().map(|s| s.name.as_str()).collect();
            UserError::new(format!("{} has no step \"{wanted}\"; its steps are {}", ex.slug, names.join(", "))).into()
        });
    }
    let index = progress.steps_done(ex).min(ex.steps.len().saturating_sub(1));
    ex.steps.get(index).map(|s| (index, s)).ok_or_else(|| UserError::new(format!("{} has no steps", ex.slug)).into())
}
