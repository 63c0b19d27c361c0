//! `cargo xtask`: the course runner. It finds the course (through the `course`
//! crate, which owns the contract), builds an exercise's checks, runs each one under
//! the watchdog, explains the verdicts and keeps the learner's progress.
//! Exit codes: 0 everything asked for passed, 1 something did not, 2 bad input.
//!
//! Rooms: `commands/` (one module per command), `run` (build, list and run checks),
//! `cargo` (the cargo it drives), `render` (how results read), `terminal` (colour and
//! widths), `learner` (where the learner stands), `results_json` (Exercism's format).

#[cfg(unix)]
mod cargo;
#[cfg(unix)]
mod commands;
#[cfg(unix)]
mod learner;
#[cfg(unix)]
mod render;
#[cfg(unix)]
mod results_json;
#[cfg(unix)]
mod run;
#[cfg(unix)]
mod rust_items;
#[cfg(unix)]
mod terminal;

use std::path::PathBuf;
use std::process::ExitCode;

#[cfg(unix)]
use anyhow::Result;
use clap::{Parser, Subcommand};
#[cfg(unix)]
use course::{Course, UserError};

/// Beyond the GIL: check your exercises, read the book, see where you stand.
#[derive(Parser)]
#[command(name = "cargo xtask", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Check exercises: the current one and those before it, the ones named, or --all.
    Check {
        /// Exercises by slug, number or unambiguous prefix (`01`, `processes`).
        exercises: Vec<String>,
        /// Check every exercise.
        #[arg(long, conflicts_with = "exercises")]
        all: bool,
        /// Also write the results as JSON (Exercism's test-runner format, version 2).
        #[arg(long, value_name = "PATH")]
        json: Option<PathBuf>,
        /// Refuse to grade when a shipped check or exercise manifest was edited.
        #[arg(long)]
        strict: bool,
    },
    /// Re-check the exercise whose file you save; `q` then Enter quits.
    Watch,
    /// Draw a timeline (SVG) of your own code's run: threads, the GIL, waits.
    Trace { exercise: String },
    /// List the exercises and which ones pass.
    List,
    /// A hint for the step you are on (or STEP): one rung more each time you ask.
    Hint {
        exercise: String,
        /// The step, by name or number (default: the first that does not pass yet).
        step: Option<String>,
        /// Every rung of the step at once.
        #[arg(long)]
        all: bool,
    },
    /// Your code beside the reference solution, once the exercise passes.
    Solution {
        exercise: String,
        /// Show it before you have passed the exercise.
        #[arg(long)]
        show_anyway: bool,
    },
    /// Restore an exercise's stub; your files are backed up first.
    Reset { exercise: String },
    /// Build the book into ./book with the mdBook library (nothing to install).
    Book {
        /// Open it in a browser afterwards.
        #[arg(long)]
        open: bool,
    },
    /// Benchmarks (not tests): run the reference solutions' `bench` examples in release mode.
    Bench {
        /// Chapters to benchmark (default: every chapter with a benchmark).
        exercises: Vec<String>,
    },
    /// Maintainers: redraw the book's pictures from real runs (src/img/).
    Pictures {
        /// Write them here instead, to look before replacing the book's (the pages quote
        /// the numbers of the pictures they show).
        #[arg(long, value_name = "FOLDER")]
        out: Option<std::path::PathBuf>,
    },
    /// Maintainers: record the hashes of the shipped checks (exercises/SEALED.sha256).
    Seal,
    /// Run the same workloads in python3 and in the course's model of CPython, side by side.
    ComparePython {
        /// Passed on to the comparison (`--rows`, `--runs`, `--json`, `--model-only`…).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Maintainers: mutation testing of the solutions with the checks as the test suite
    /// (installs cargo-mutants and cargo-nextest if absent); results in solutions/NN-slug/mutants.toml.
    Mutants {
        /// Chapters to test (default: every chapter from 01).
        exercises: Vec<String>,
    },
    /// Maintainers: prove every stub fails every check and every solution passes them.
    Verify {
        /// Only these exercises (default: all).
        exercises: Vec<String>,
        /// Skip building the book.
        #[arg(long)]
        skip_book: bool,
    },
}

/// Whether a command's work passed: the difference between exit 0 and exit 1.
pub enum Done {
    Passed,
    NotPassed,
}

/// The runner starts every check in a process group of its own and kills the group
/// when the check ends or hangs (Unix process groups), and several chapters' checks use
/// Unix APIs. On Windows it says where the course runs instead of failing obscurely.
#[cfg(not(unix))]
fn main() -> ExitCode {
    eprintln!(
        "error: Beyond the GIL runs on Linux (tested) and macOS; on Windows, open the course in WSL \
         (Windows Subsystem for Linux: `wsl --install`, then clone the course inside it) and run \
         `cargo xtask` there"
    );
    ExitCode::from(2)
}

#[cfg(unix)]
fn main() -> ExitCode {
    // The runner never shows a backtrace of its own: a bug in it is reported as one.
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "error: the course runner itself failed ({info}). This is a bug in the course, not in your code; please report it."
        );
    }));
    let cli = Cli::parse();
    let result = std::panic::catch_unwind(|| dispatch(cli.command));
    match result {
        Ok(Ok(Done::Passed)) => ExitCode::SUCCESS,
        Ok(Ok(Done::NotPassed)) => ExitCode::from(1),
        Ok(Err(err)) => {
            match err.downcast_ref::<UserError>() {
                Some(user) => eprintln!("error: {user}"),
                None => eprintln!("error: {err:#}"),
            }
            ExitCode::from(2)
        }
        Err(_) => ExitCode::from(2),
    }
}

#[cfg(unix)]
/// Finds the course and runs one command on it (none: where the learner stands).
fn dispatch(command: Option<Command>) -> Result<Done> {
    use commands::*;
    let (course, found) = Course::discover()?;
    learner::say_where(&course, &found);
    let course = &course;
    match command {
        None => status::run(course),
        Some(Command::Check { exercises, all, json, strict }) => {
            if strict {
                check::refuse_unsealed(course)?;
            }
            check::run(course, &exercises, all, json.as_deref())
        }
        Some(Command::Watch) => watch::run(course),
        Some(Command::Trace { exercise }) => trace::run(course, &exercise),
        Some(Command::List) => list::run(course),
        Some(Command::Hint { exercise, step, all }) => hint::run(course, &exercise, step.as_deref(), all),
        Some(Command::Solution { exercise, show_anyway }) => solution::run(course, &exercise, show_anyway),
        Some(Command::Reset { exercise }) => reset::run(course, &exercise),
        Some(Command::Book { open }) => book::run(course, open),
        Some(Command::Bench { exercises }) => bench::run(course, &exercises),
        Some(Command::Pictures { out }) => pictures::run(course, out),
        Some(Command::Seal) => seal::run(course),
        Some(Command::ComparePython { args }) => compare_python::run(course, &args),
        Some(Command::Verify { exercises, skip_book }) => verify::run(course, &exercises, skip_book),
        Some(Command::Mutants { exercises }) => mutants::run(course, &exercises),
    }
}
