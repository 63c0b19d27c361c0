//! `cargo xtask seal` (maintainers): record the hashes of the shipped checks.

use anyhow::Result;
use course::{Course, seal};

use crate::Done;

pub fn run(course: &Course) -> Result<Done> {
    let n = seal::write(course)?;
    println!("sealed {n} shipped files in exercises/SEALED.sha256; commit it");
    Ok(Done::Passed)
}
