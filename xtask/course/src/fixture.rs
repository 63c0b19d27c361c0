//! Fixtures: the reference solution built with one module swapped for another, to
//! prove what the checks tell apart.
//!
//! - A **mistake** (`solutions/NN-slug/mistakes/NAME/`) is a plausible error a learner
//!   makes; the checks it names must not pass on it, and their messages must name it.
//! - An **alternative** (`solutions/NN-slug/alternatives/NAME/`) is a correct solution
//!   written differently from the reference; every check must pass on it.
//!
//! A fixture's folder holds `fixture.toml` (what it is; for a mistake, which checks
//! catch it) and the module files it swaps in. The solution crate declares one cargo
//! feature per fixture, `mistake-NAME` or `alternative-NAME`, and its modules choose
//! their file with `#[cfg_attr(feature = "mistake-NAME", path = "../mistakes/NAME/m.rs")]`.
//! So a fixture states only what it changes, and a fix to a solution module reaches
//! every fixture that does not replace it.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::UserError;

/// Which way a fixture must go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixtureKind {
    /// The checks it names must not pass, and must say why in words it gives.
    Mistake { fails: Vec<ExpectedFailure> },
    /// Every check must pass.
    Alternative,
}

/// One check that must not pass on a mistake, and words its message must contain.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFailure {
    pub check: String,
    pub message: String,
}

/// A mistake or an alternative of one chapter's solution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    /// The folder name, e.g. `sequential-pool`.
    pub name: String,
    /// The folder.
    pub dir: PathBuf,
    /// What it is, in words.
    pub what: String,
    pub kind: FixtureKind,
}

/// The folder names under `solutions/NN-slug/` and their feature prefixes.
pub(crate) const MISTAKES: &str = "mistakes";
pub(crate) const ALTERNATIVES: &str = "alternatives";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureFile {
    what: String,
    #[serde(default)]
    fails: Vec<ExpectedFailure>,
}

impl Fixture {
    /// The cargo feature of the solution crate that swaps this fixture's modules in.
    pub fn feature(&self) -> String {
        match self.kind {
            FixtureKind::Mistake { .. } => format!("mistake-{}", self.name),
            FixtureKind::Alternative => format!("alternative-{}", self.name),
        }
    }

    /// `mistake` or `alternative`, for messages.
    pub fn kind_word(&self) -> &'static str {
        match self.kind {
            FixtureKind::Mistake { .. } => "mistake",
            FixtureKind::Alternative => "alternative",
        }
    }

    /// Every fixture of a solution, mistakes first, each group by name.
    pub(crate) fn all_of(solution_dir: &Path) -> Result<Vec<Fixture>> {
        let mut all = Vec::new();
        for folder in [MISTAKES, ALTERNATIVES] {
            let dir = solution_dir.join(folder);
            let Ok(entries) = fs::read_dir(&dir) else { continue };
            let mut found = Vec::new();
            for entry in entries {
                let path = entry.with_context(|| format!("listing {}", dir.display()))?.path();
                if path.is_dir() {
                    found.push(Fixture::load(&path, folder == MISTAKES)?);
                }
            }
            found.sort_by(|a, b| a.name.cmp(&b.name));
            all.extend(found);
        }
        Ok(all)
    }

    fn load(dir: &Path, mistake: bool) -> Result<Fixture> {
        let file = dir.join("fixture.toml");
        let text = fs::read_to_string(&file)
            .map_err(|e| UserError::new(format!("{}: {e}; a fixture states what it is in fixture.toml", file.display())))?;
        let spec: FixtureFile = toml::from_str(&text)
            .map_err(|e| UserError::new(format!("{} is not valid: {e}", file.display())))?;
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let kind = if mistake {
            FixtureKind::Mistake { fails: spec.fails }
        } else {
            if !spec.fails.is_empty() {
                return Err(UserError::new(format!(
                    "{}: an alternative is a correct solution, so it names no failing check",
                    file.display()
                ))
                .into());
            }
            FixtureKind::Alternative
        };
        Ok(Fixture { name, dir: dir.to_path_buf(), what: spec.what, kind })
    }
}
