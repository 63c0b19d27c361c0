//! `cargo xtask pictures [--out FOLDER]` (maintainers): every picture in the book is
//! drawn by the course's own code from a real run; this redraws them. Release mode,
//! because the runs are timed and pictured as they happen.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result};
use course::{Course, Side};

use crate::terminal::bold;
use crate::{Done, cargo};

pub fn run(course: &Course, out: Option<PathBuf>) -> Result<Done> {
    let img = match out {
        Some(dir) => std::env::current_dir()?.join(dir),
        None => course.root.join("src/img"),
    };
    fs::create_dir_all(&img).with_context(|| format!("could not create {}", img.display()))?;
    let out = img.to_string_lossy().into_owned();
    // The GIL timelines of chapters 04 and 05, from the course's tools.
    let mut runs: Vec<Vec<String>> =
        vec![words(&["run", "--quiet", "--release", "--package", "course-tools", "--bin", "book-pictures", "--", "--out", &out])];
    // Every chapter draws its own: `solutions/NN-slug/examples/picture.rs`, run with
    // `--out FOLDER`, writes `FOLDER/NN-*.svg` from a real run of the solution.
    for ex in &course.exercises {
        if ex.solution_dir.join("examples/picture.rs").is_file() {
            let package = ex.build(Side::Solution)?.package;
            runs.push(words(&["run", "--quiet", "--release", "--package", &package, "--example", "picture", "--", "--out", &out]));
        }
    }
    let mut all_ok = true;
    for args in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        println!("{}", bold(&format!("cargo {}", args.join(" "))));
        all_ok &= cargo::passthrough(course, &args)?;
    }
    Ok(if all_ok { Done::Passed } else { Done::NotPassed })
}

fn words(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| (*a).to_string()).collect()
}
