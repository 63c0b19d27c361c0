//! `cargo xtask` alone: where the learner stands and the one next step.

use anyhow::Result;
use course::{Course, Progress};

use crate::Done;
use crate::learner::{load_progress, next_step};
use crate::terminal::bold;

pub fn run(course: &Course) -> Result<Done> {
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
    let passed = course.exercises.iter().filter(|e| progress.passes(e)).count();
    println!("{passed} of {} exercises passed.", course.exercises.len());
    println!("{}", next_step(course, &progress));
    Ok(Done::Passed)
}
