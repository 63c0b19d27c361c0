//! `cargo xtask trace EXERCISE`: runs the learner's own code with the model's tracing
//! on and writes an SVG timeline of the run (who held the GIL, waited, slept), drawn by
//! the same code as the book's pictures. An exercise offers this with an
//! `examples/trace.rs` that takes the SVG's path as its one argument.

use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result};

use course::watchdog::{self, Output};
use course::{Course, Side, UserError, problem_of};

use crate::Done;
use crate::cargo::{self, Target};
use crate::terminal::{bold, red};

pub fn run(course: &Course, name: &str) -> Result<Done> {
    let ex = course.find(name)?;
    let dir = ex.exercise_dir.clone();
    if !dir.join("examples/trace.rs").is_file() {
        let with: Vec<&str> = course
            .exercises
            .iter()
            .filter(|e| e.exercise_dir.join("examples/trace.rs").is_file())
            .map(|e| e.slug.as_str())
            .collect();
        return Err(UserError::new(format!(
            "{} has nothing to trace; exercises with a trace: {}",
            ex.slug,
            if with.is_empty() {
                "none yet".to_string()
            } else {
                with.join(", ")
            }
        ))
        .into());
    }
    let traces = course.root.join(".course").join("traces");
    std::fs::create_dir_all(&traces).with_context(|| format!("creating {}", traces.display()))?;
    let out = traces.join(format!("{}.svg", ex.slug));
    let _ = std::fs::remove_file(&out);

    println!(
        "{}",
        bold(&format!("tracing your code in exercises/{}", ex.slug))
    );
    let exe = match cargo::build(course, &ex.build(Side::Exercise)?, Target::Example("trace"))? {
        Ok(exe) => exe,
        Err(_) => {
            println!(
                "{} your code does not compile yet (cargo's messages above); fix it and trace again",
                red("✘")
            );
            return Ok(Done::NotPassed);
        }
    };
    let mut cmd = Command::new(exe);
    cmd.current_dir(&dir).arg(&out).env("RUST_BACKTRACE", "0");
    let limit = Duration::from_secs(ex.timeout_secs);
    let done = watchdog::run(cmd, limit, Output::Collect)?;
    if done.timed_out {
        println!(
            "{} still running after {} s, so it was stopped: likely a deadlock or an endless loop in your code",
            red("✘"),
            limit.as_secs()
        );
        return Ok(Done::NotPassed);
    }
    if !done.status.is_some_and(|s| s.success()) || !out.is_file() {
        println!(
            "{} the traced run did not finish: {}",
            red("✘"),
            problem_of(&done, &course.root, &dir)
        );
        println!(
            "  `cargo xtask check {:02}` says what is still missing",
            ex.number
        );
        return Ok(Done::NotPassed);
    }
    println!("wrote {}", course.relative(&out));
    println!("open it in a browser to see which thread held the GIL, waited, or slept, and when");
    Ok(Done::Passed)
}
