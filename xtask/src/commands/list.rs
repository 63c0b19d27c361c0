//! `cargo xtask list`: every exercise and where it stands.

use anyhow::Result;
use course::{Course, Standing};

use crate::Done;
use crate::learner::{current, load_progress};
use crate::terminal::{green, pad, yellow};

pub fn run(course: &Course) -> Result<Done> {
    let progress = load_progress(course)?;
    let current = current(course, &progress).map(|e| e.slug.clone());
    for ex in &course.exercises {
        let (mark, state) = match progress.standing(ex) {
            Standing::Passed => (green("✔"), green("passed")),
            // A pass recorded against other files (an edit, a `git checkout`) says nothing now.
            Standing::Stale => (yellow("~"), yellow("changed since it passed")),
            Standing::NotPassed if current.as_deref() == Some(ex.slug.as_str()) => (yellow("→"), yellow("current")),
            Standing::NotPassed => (" ".into(), String::new()),
        };
        let steps = match (ex.steps.len(), progress.standing(ex)) {
            (1, _) | (_, Standing::Passed) => String::new(),
            (n, _) => format!("  ({} of {n} steps)", progress.steps_done(ex).min(n)),
        };
        println!("{mark} {}  {:<32} {}{steps}", pad(&state, 7), ex.slug, ex.title);
    }
    Ok(Done::Passed)
}
