//! `cargo xtask compare-python`: the same workloads in python3 and in the course's
//! model of CPython, side by side (the `compare-python` tool).

use anyhow::Result;
use course::Course;

use crate::{Done, cargo};

/// The model is measured against CPython in release mode: the comparison is about the
/// GIL's behaviour, and debug builds would add interpreter overhead CPython does not have.
pub fn run(course: &Course, extra: &[String]) -> Result<Done> {
    let mut args = vec!["run", "--quiet", "--release", "--package", "course-tools", "--bin", "compare-python", "--"];
    args.extend(extra.iter().map(String::as_str));
    Ok(match cargo::passthrough(course, &args)? {
        true => Done::Passed,
        false => Done::NotPassed,
    })
}
