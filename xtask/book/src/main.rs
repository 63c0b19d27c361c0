//! Builds the course's HTML book through the mdBook library (`mdbook-driver`), so a
//! reader needs nothing but cargo. Run it as `cargo xtask book [--open]`; the runner
//! opens the built book itself.

mod exercise_box;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;
use mdbook_driver::MDBook;

/// Build the book.
#[derive(Parser)]
struct Args {
    /// The course root (where book.toml is).
    #[arg(long)]
    root: PathBuf,
    /// Where to write the HTML.
    #[arg(long)]
    dest: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match build(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn build(args: &Args) -> Result<()> {
    let started = Instant::now();
    let mut book = MDBook::load(&args.root).with_context(|| format!("loading the book at {}", args.root.display()))?;
    book.config.build.build_dir = args.dest.clone();
    book.with_preprocessor(exercise_box::ExerciseBox { root: args.root.clone() });
    book.build().context("building the book")?;
    let index = args.dest.join("index.html");
    println!("built the book in {:.1} s: {}", started.elapsed().as_secs_f64(), index.display());
    Ok(())
}
