//! `cargo xtask`: the course runner. It finds the exercises, builds their checks,
//! runs each check under a watchdog, explains the verdicts and keeps the learner's
//! progress. Exit codes: 0 everything asked for passed, 1 something did not, 2 bad input.

mod checks;
mod commands;
mod course;
mod output;
mod pristine;
mod progress;
mod results_json;
mod seal;
mod verdict;
mod watchdog;

use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Print the hint of an exercise.
    Hint { exercise: String },
    /// Show the reference solution of an exercise you have passed.
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
    /// Maintainers: prove every stub fails every check and every solution passes them.
    Verify {
        /// Only these exercises (default: all).
        exercises: Vec<String>,
        /// Skip building the book.
        #[arg(long)]
        skip_book: bool,
    },
}

/// An error caused by what the user asked for or by the state of their checkout;
/// printed as a sentence, exit 2.
#[derive(Debug)]
pub struct UserError(String);

impl UserError {
    /// An error whose message is a sentence with the next step in it.
    pub fn new(message: impl Into<String>) -> UserError {
        UserError(message.into())
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

/// Whether a command's work passed: the difference between exit 0 and exit 1.
pub enum Done {
    Passed,
    NotPassed,
}

fn main() -> ExitCode {
    // The runner never shows a backtrace of its own: a bug in it is reported as one.
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "error: the course runner itself failed ({info}). This is a bug in the course, not in your code; please report it."
        );
    }));
    let cli = Cli::parse();
    let result = std::panic::catch_unwind(|| commands::run(cli.command));
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
