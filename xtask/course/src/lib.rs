//! The course's contract, in one place: what a course is on disk and how a check
//! speaks to the runner. The runner (`xtask`), the book's preprocessor (`xtask/book`)
//! and the project's tests read the course only through this crate.
//!
//! - [`Course`]: the chapters, found by listing `exercises/` under a root found at run
//!   time ([`Course::discover`]); [`Course::select`] resolves what a learner typed.
//! - [`Exercise`]: one chapter's folders, packages and metadata (from the manifests),
//!   its checks grouped in [`Step`]s (from `tests/checks.rs`, [`checks_file`]), and its
//!   [`Fixture`]s (mistakes and alternatives, built as features of the solution).
//! - [`Verdict`]: what one check's run means, and its [`Class`] (pass, fail, not
//!   measured), on which every tally, colour, JSON status and proof decides.
//! - [`protocol`]: the `report:` and `[inconclusive]` markers, the timing crate's own.
//! - [`Hints`]: a ladder of three rungs per step, in `solutions/NN-slug/hints.toml`.
//! - [`Progress`], [`seal`], [`pristine`]: what the learner has passed (and with which
//!   files, and which steps and hint rungs), the hashes of the shipped checks, the stubs
//!   as shipped.
//! - [`watchdog`]: the only way the runner starts a process.
//!
//! Unix only (process groups, `/proc`); on other systems the crate is empty and the
//! runner says where the course runs.
#![cfg(unix)]

pub mod checks_file;
mod course;
mod exercise;
pub mod files;
mod fixture;
pub mod hints;
mod manifest;
pub mod mutants;
pub mod pristine;
mod progress;
pub mod protocol;
pub mod seal;
mod verdict;
pub mod wiring;
pub mod watchdog;

pub use checks_file::{Check, Step};
pub use course::{Course, Found};
pub use exercise::{Build, Exercise, Side, split_slug};
pub use fixture::{ExpectedFailure, Fixture, FixtureKind};
pub use hints::{Hints, Ladder};
pub use progress::{Progress, Standing};
pub use verdict::{Class, Verdict, problem_of, read_verdict};

use std::fmt;

/// An error caused by what the user asked for or by the state of their checkout;
/// the runner prints it as a sentence and exits with 2.
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
