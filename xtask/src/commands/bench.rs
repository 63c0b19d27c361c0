//! `cargo xtask bench [EXERCISE…]`: speed targets live here, not in the checks: each
//! chapter's reference solution may have an `examples/bench.rs`, run in release mode
//! because absolute speed is the point.

use anyhow::Result;
use course::{Course, Side, UserError};

use crate::terminal::bold;
use crate::{Done, cargo};

pub fn run(course: &Course, names: &[String]) -> Result<Done> {
    let mut ran = 0;
    let mut all_ok = true;
    for ex in course.select(names, false)? {
        if !ex.solution_dir.join("examples/bench.rs").is_file() {
            if !names.is_empty() {
                println!("{} has no benchmark (solutions/{}/examples/bench.rs)", ex.slug, ex.slug);
            }
            continue;
        }
        let package = ex.build(Side::Solution)?.package;
        println!("{}", bold(&format!("{} · cargo run --release -p {package} --example bench", ex.slug)));
        all_ok &= cargo::passthrough(course, &["run", "--quiet", "--release", "--package", &package, "--example", "bench"])?;
        ran += 1;
    }
    if ran == 0 {
        return Err(UserError::new(
            "no benchmark to run: none of the chosen chapters has solutions/NN-slug/examples/bench.rs",
        )
        .into());
    }
    Ok(if all_ok { Done::Passed } else { Done::NotPassed })
}
