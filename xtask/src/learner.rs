//! Where the learner stands: their progress (loaded with a note when it was unreadable,
//! and the course's base commit recorded on the first run), the exercise they are on,
//! and the one next step. Shared by every command that speaks to the learner.

use anyhow::Result;
use course::{Course, Exercise, Found, Progress, pristine};

use crate::terminal::{bold, green, yellow};

/// Loads progress, says so when the file was unreadable, and records the base commit
/// on the first run.
pub fn load_progress(course: &Course) -> Result<Progress> {
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

/// Says which course the runner works on when it is not the one around the current folder.
pub fn say_where(course: &Course, found: &Found) {
    if !course.contains_current_dir() {
        let how = match found {
            Found::ByVariable => "named by COURSE_ROOT",
            Found::ByCargo => "where cargo found the runner",
            Found::AroundHere => "found above the current folder",
        };
        eprintln!("{} working on the course at {} ({how})", yellow("note:"), course.root.display());
    }
}

/// The first exercise that does not pass with its files as they are, if any.
pub fn current<'a>(course: &'a Course, progress: &Progress) -> Option<&'a Exercise> {
    course.exercises.iter().find(|e| !progress.passes(e))
}

/// The one next step, in a sentence or two.
pub fn next_step(course: &Course, progress: &Progress) -> String {
    next_step_after(course, progress, None)
}

/// The one next step after checking `checked`: the first of them that does not pass
/// yet (the learner keeps at it), else the first exercise after them that does not pass,
/// else the first anywhere.
pub fn next_step_after(course: &Course, progress: &Progress, checked: Option<&[&Exercise]>) -> String {
    let after_checked = checked.and_then(|checked| {
        checked.iter().copied().find(|e| !progress.passes(e)).or_else(|| {
            let last = checked.iter().map(|e| e.number).max()?;
            course.exercises.iter().find(|e| e.number > last && !progress.passes(e))
        })
    });
    match after_checked.or_else(|| current(course, progress)) {
        // Short lines: the longest slug still fits 80 columns.
        Some(ex) => format!(
            "Next: {}{}\n  read its chapter in the book: {}\n  edit exercises/{}/src, then run cargo xtask check\n  stuck? cargo xtask hint {:02}",
            bold(&ex.slug),
            step_on(ex, progress),
            course.relative(&ex.page),
            ex.slug,
            ex.number
        ),
        None => format!(
            "{} You have passed every exercise. `cargo xtask solution N` shows a reference solution to compare with yours.",
            green("Done.")
        ),
    }
}

/// `, step 2 of 5: pool` for a chapter of several steps; nothing for one of one.
pub fn step_on(ex: &Exercise, progress: &Progress) -> String {
    let n = ex.steps.len();
    let done = progress.steps_done(ex).min(n.saturating_sub(1));
    match ex.steps.get(done) {
        Some(step) if n > 1 => format!(", step {} of {n}: {}", done + 1, step.name),
        _ => String::new(),
    }
}
