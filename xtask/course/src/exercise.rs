//! One chapter: its page, the learner's crate, the reference crate, their packages
//! and metadata (read from the manifests), its checks and steps, and its fixtures.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::checks_file::{self, Check, Step};
use crate::fixture::Fixture;
use crate::manifest::Manifest;
use crate::UserError;

/// Default per-check limit when an exercise does not set `timeout-secs`.
const DEFAULT_TIMEOUT_SECS: u64 = 60;

/// One chapter, as found under `exercises/NN-slug/`.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// `NN-slug`, the name that ties page, exercise and solution together.
    pub slug: String,
    /// The chapter number, `NN`.
    pub number: u32,
    /// The human title from the metadata.
    pub title: String,
    /// Per-check time limit.
    pub timeout_secs: u64,
    /// The hint `cargo xtask hint` prints.
    pub hint: String,
    /// The learner's crate folder, `exercises/NN-slug`.
    pub exercise_dir: PathBuf,
    /// The reference crate folder, `solutions/NN-slug`.
    pub solution_dir: PathBuf,
    /// The chapter's page, `src/NN-slug.md`.
    pub page: PathBuf,
    /// Cargo package of the learner's crate (`exNN-slug`).
    pub package: String,
    /// Cargo package of the reference crate, from its manifest (`solNN-slug`);
    /// `None` when the solution crate is missing (`verify` says so).
    pub solution_package: Option<String>,
    /// The checks, grouped in the order the learner should make them pass.
    pub steps: Vec<Step>,
}

/// Which build of a chapter a run is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side<'f> {
    /// The learner's crate in `exercises/`.
    Exercise,
    /// The reference crate in `solutions/`.
    Solution,
    /// The reference crate built with one fixture swapped in.
    Fixture(&'f Fixture),
}

/// The cargo package (and feature) that builds one side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Build {
    /// The package to build.
    pub package: String,
    /// A feature to turn on, for a fixture.
    pub feature: Option<String>,
    /// The crate's folder (the checks run there).
    pub dir: PathBuf,
}

impl Exercise {
    /// Reads `root/exercises/slug`: its manifest, its checks file and its solution's
    /// manifest. Errors are sentences for the maintainer who broke the convention.
    pub(crate) fn load(root: &Path, slug: &str) -> Result<Exercise> {
        let (number, _) = split_slug(slug).ok_or_else(|| {
            UserError::new(format!(
                "exercises/{slug} is not named NN-slug (two digits, a dash, a name); rename the folder"
            ))
        })?;
        let exercise_dir = root.join("exercises").join(slug);
        let solution_dir = root.join("solutions").join(slug);
        let manifest = Manifest::read(&exercise_dir)?;
        let meta = manifest.package.metadata.and_then(|m| m.course).ok_or_else(|| {
            UserError::new(format!(
                "exercises/{slug}/Cargo.toml has no [package.metadata.course] table (title, timeout-secs)"
            ))
        })?;
        let checks_path = exercise_dir.join("tests/checks.rs");
        let source = fs::read_to_string(&checks_path)
            .map_err(|e| UserError::new(format!("{}: {e}; every exercise has its checks there", checks_path.display())))?;
        let steps = checks_file::parse(&source)
            .map_err(|e| UserError::new(format!("exercises/{slug}/tests/checks.rs: {e}")))?;
        let solution_package = match solution_dir.join("Cargo.toml").is_file() {
            true => Some(Manifest::read(&solution_dir)?.package.name),
            false => None,
        };
        Ok(Exercise {
            slug: slug.to_string(),
            number,
            title: meta.title,
            timeout_secs: meta.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS),
            hint: meta.hint.trim().to_string(),
            page: root.join("src").join(format!("{slug}.md")),
            exercise_dir,
            solution_dir,
            package: manifest.package.name,
            solution_package,
            steps,
        })
    }

    /// The slug without its number: `processes-and-threads`.
    pub fn name(&self) -> &str {
        split_slug(&self.slug).map(|(_, name)| name).unwrap_or(&self.slug)
    }

    /// The learner's source folder, `exercises/NN-slug/src`: what the learner edits,
    /// what `reset` restores and what a pass is recorded against.
    pub fn learner_src(&self) -> PathBuf {
        self.exercise_dir.join("src")
    }

    /// Every check, in step order.
    pub fn checks(&self) -> impl Iterator<Item = &Check> {
        self.steps.iter().flat_map(|s| s.checks.iter())
    }

    /// The check called `name`.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks().find(|c| c.name == name)
    }

    /// The step called `name`.
    pub fn step(&self, name: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.name == name)
    }

    /// The chapter's mistakes and alternatives.
    pub fn fixtures(&self) -> Result<Vec<Fixture>> {
        Fixture::all_of(&self.solution_dir)
    }

    /// What cargo builds for one side.
    pub fn build(&self, side: Side<'_>) -> Result<Build> {
        let solution = || {
            self.solution_package.clone().with_context(|| {
                format!("solutions/{} has no Cargo.toml, so there is no reference to build", self.slug)
            })
        };
        Ok(match side {
            Side::Exercise => Build { package: self.package.clone(), feature: None, dir: self.exercise_dir.clone() },
            Side::Solution => Build { package: solution()?, feature: None, dir: self.solution_dir.clone() },
            Side::Fixture(fixture) => {
                Build { package: solution()?, feature: Some(fixture.feature()), dir: self.solution_dir.clone() }
            }
        })
    }
}

/// Splits `01-processes-and-threads` into `(1, "processes-and-threads")`.
pub fn split_slug(slug: &str) -> Option<(u32, &str)> {
    let (num, name) = slug.split_once('-')?;
    if num.len() != 2 || name.is_empty() || !num.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((num.parse().ok()?, name))
}
