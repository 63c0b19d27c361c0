//! The course on disk: where its root is, which exercises it has, and what each
//! one's `[package.metadata.course]` says. Chapters are found by listing
//! `exercises/`; nothing else names them.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::UserError;

/// Default per-check limit when an exercise does not set `timeout-secs`.
const DEFAULT_TIMEOUT_SECS: u64 = 60;

/// The course checkout the runner works on.
#[derive(Debug, Clone)]
pub struct Course {
    /// The folder holding the workspace `Cargo.toml`, `exercises/` and `solutions/`.
    pub root: PathBuf,
    /// Every exercise, ordered by its number.
    pub exercises: Vec<Exercise>,
}

/// One chapter's exercise, as found under `exercises/NN-slug/`.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// `NN-slug`, the name that ties page, exercise and solution together.
    pub slug: String,
    /// The chapter number, `NN`.
    pub number: u32,
    /// The human title from the metadata.
    pub title: String,
    /// Cargo package name of the learner's crate (`exNN-slug`).
    pub package: String,
    /// Per-check time limit.
    pub timeout_secs: u64,
    /// The hint `cargo xtask hint` prints.
    pub hint: String,
}

/// A mistake fixture: the solution with one plausible error, in
/// `solutions/NN-slug/mistakes/NAME/`, which named checks must catch.
#[derive(Debug, Clone)]
pub struct Mistake {
    /// The folder name, e.g. `sequential-pool`.
    pub name: String,
    /// The crate's folder.
    pub dir: PathBuf,
    /// Its Cargo package name.
    pub package: String,
    /// What the mistake is, in words.
    pub what: String,
    /// The checks that must catch it, each with words its message must contain.
    pub fails: Vec<ExpectedFailure>,
}

/// One check that must not pass on a mistake, and what its message must say.
#[derive(Debug, Clone, Deserialize)]
pub struct ExpectedFailure {
    pub check: String,
    pub message: String,
}

#[derive(Deserialize)]
struct MistakeManifest {
    package: MistakePackage,
}

#[derive(Deserialize)]
struct MistakePackage {
    name: String,
    metadata: Option<MistakeMetadata>,
}

#[derive(Deserialize)]
struct MistakeMetadata {
    mistake: Option<MistakeSpec>,
}

#[derive(Deserialize)]
struct MistakeSpec {
    what: String,
    fails: Vec<ExpectedFailure>,
}

/// Which of the two crates of a chapter a run is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The learner's crate in `exercises/`.
    Exercise,
    /// The reference crate in `solutions/`.
    Solution,
}

#[derive(Deserialize)]
struct Manifest {
    package: ManifestPackage,
}

#[derive(Deserialize)]
struct ManifestPackage {
    name: String,
    #[serde(default)]
    metadata: Option<ManifestMetadata>,
}

#[derive(Deserialize)]
struct ManifestMetadata {
    course: Option<CourseMetadata>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct CourseMetadata {
    title: String,
    timeout_secs: Option<u64>,
    #[serde(default)]
    hint: String,
}

impl Course {
    /// Finds the course root (the `COURSE_ROOT` variable, else the folder above this
    /// crate) and reads every exercise's metadata.
    pub fn discover() -> Result<Course> {
        let root = match std::env::var_os("COURSE_ROOT") {
            Some(dir) => PathBuf::from(dir),
            None => Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .context("the runner's crate has no parent folder")?
                .to_path_buf(),
        };
        Self::load(&root)
    }

    /// Reads the course at `root`.
    pub fn load(root: &Path) -> Result<Course> {
        let dir = root.join("exercises");
        let entries = fs::read_dir(&dir).map_err(|e| {
            UserError::new(format!(
                "cannot read {}: {e}; run the runner from a checkout of the course (or set COURSE_ROOT)",
                dir.display()
            ))
        })?;
        let mut exercises = Vec::new();
        for entry in entries {
            let entry = entry.with_context(|| format!("listing {}", dir.display()))?;
            let path = entry.path();
            if !path.join("Cargo.toml").is_file() {
                continue;
            }
            let slug = entry.file_name().to_string_lossy().into_owned();
            exercises.push(Exercise::load(&slug, &path)?);
        }
        exercises.sort_by(|a, b| (a.number, &a.slug).cmp(&(b.number, &b.slug)));
        if exercises.is_empty() {
            bail!(UserError::new(format!(
                "{} holds no exercise crates; is this a checkout of the course?",
                dir.display()
            )));
        }
        Ok(Course {
            root: root.to_path_buf(),
            exercises,
        })
    }

    /// Resolves what a learner typed: the slug, the number (`1`, `01`) or an
    /// unambiguous prefix of the slug or of the name after the number.
    pub fn find(&self, name: &str) -> Result<&Exercise> {
        let wanted = name.trim().to_lowercase();
        if let Ok(n) = wanted.parse::<u32>() {
            if let Some(ex) = self.exercises.iter().find(|e| e.number == n) {
                return Ok(ex);
            }
        }
        if let Some(ex) = self.exercises.iter().find(|e| e.slug == wanted) {
            return Ok(ex);
        }
        let matches: Vec<&Exercise> = self
            .exercises
            .iter()
            .filter(|e| {
                !wanted.is_empty() && (e.slug.starts_with(&wanted) || e.name().starts_with(&wanted))
            })
            .collect();
        match matches.as_slice() {
            [one] => Ok(one),
            [] => Err(UserError::new(format!(
                "no exercise named \"{name}\"; did you mean {}? (cargo xtask list shows all)",
                self.nearest(&wanted)
            ))
            .into()),
            many => Err(UserError::new(format!(
                "\"{name}\" could be {}; type more of the name",
                quoted_list(many.iter().map(|e| e.slug.as_str()))
            ))
            .into()),
        }
    }

    /// The two or three exercise slugs closest to a mistyped name.
    fn nearest(&self, wanted: &str) -> String {
        let mut scored: Vec<(f64, &str)> = self
            .exercises
            .iter()
            .map(|e| {
                let score = strsim::jaro_winkler(wanted, e.name())
                    .max(strsim::jaro_winkler(wanted, &e.slug));
                (score, e.slug.as_str())
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        quoted_list(scored.iter().take(2).map(|(_, s)| *s))
    }
}

fn quoted_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.map(|s| format!("\"{s}\"")).collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

impl Exercise {
    fn load(slug: &str, dir: &Path) -> Result<Exercise> {
        let (number, _) = split_slug(slug).ok_or_else(|| {
            UserError::new(format!(
                "exercises/{slug} is not named NN-slug (two digits, a dash, a name); rename the folder"
            ))
        })?;
        let manifest_path = dir.join("Cargo.toml");
        let text = fs::read_to_string(&manifest_path)
            .with_context(|| format!("reading {}", manifest_path.display()))?;
        let manifest: Manifest = toml::from_str(&text).map_err(|e| {
            UserError::new(format!(
                "{} is not valid TOML: {e}",
                manifest_path.display()
            ))
        })?;
        let meta = manifest
            .package
            .metadata
            .and_then(|m| m.course)
            .ok_or_else(|| {
                UserError::new(format!(
                    "{} has no [package.metadata.course] table (title, timeout-secs, hint)",
                    manifest_path.display()
                ))
            })?;
        Ok(Exercise {
            slug: slug.to_string(),
            number,
            title: meta.title,
            package: manifest.package.name,
            timeout_secs: meta.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS),
            hint: meta.hint.trim().to_string(),
        })
    }

    /// The chapter's mistake fixtures, by name.
    pub fn mistakes(&self, course: &Course) -> Result<Vec<Mistake>> {
        let dir = self.solution_dir(course).join("mistakes");
        let Ok(entries) = fs::read_dir(&dir) else {
            return Ok(Vec::new());
        };
        let mut mistakes = Vec::new();
        for entry in entries {
            let path = entry
                .with_context(|| format!("listing {}", dir.display()))?
                .path();
            let manifest_path = path.join("Cargo.toml");
            if !manifest_path.is_file() {
                continue;
            }
            let text = fs::read_to_string(&manifest_path)
                .with_context(|| format!("reading {}", manifest_path.display()))?;
            let manifest: MistakeManifest = toml::from_str(&text).map_err(|e| {
                UserError::new(format!("{} is not valid: {e}", manifest_path.display()))
            })?;
            let spec = manifest.package.metadata.and_then(|m| m.mistake).ok_or_else(|| {
                UserError::new(format!(
                    "{} has no [package.metadata.mistake] (what, fails = [{{ check, message }}])",
                    manifest_path.display()
                ))
            })?;
            mistakes.push(Mistake {
                name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                dir: path.clone(),
                package: manifest.package.name,
                what: spec.what,
                fails: spec.fails,
            });
        }
        mistakes.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(mistakes)
    }

    /// The slug without its number: `processes-and-threads`.
    pub fn name(&self) -> &str {
        split_slug(&self.slug)
            .map(|(_, name)| name)
            .unwrap_or(&self.slug)
    }

    /// The learner's crate folder.
    pub fn exercise_dir(&self, course: &Course) -> PathBuf {
        course.root.join("exercises").join(&self.slug)
    }

    /// The reference crate folder.
    pub fn solution_dir(&self, course: &Course) -> PathBuf {
        course.root.join("solutions").join(&self.slug)
    }

    /// The chapter's page.
    pub fn page(&self, course: &Course) -> PathBuf {
        course.root.join("src").join(format!("{}.md", self.slug))
    }

    /// Folder and package of one side.
    pub fn side(&self, course: &Course, side: Side) -> (PathBuf, String) {
        match side {
            Side::Exercise => (self.exercise_dir(course), self.package.clone()),
            Side::Solution => (
                self.solution_dir(course),
                // The convention `exNN-slug` / `solNN-slug`; verify checks it holds.
                format!("sol{}", self.package.trim_start_matches("ex")),
            ),
        }
    }
}

/// Splits `01-processes-and-threads` into `(1, "processes-and-threads")`.
fn split_slug(slug: &str) -> Option<(u32, &str)> {
    let (num, name) = slug.split_once('-')?;
    if num.len() != 2 || name.is_empty() {
        return None;
    }
    Some((num.parse().ok()?, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> Course {
        let ex = |slug: &str| Exercise {
            slug: slug.into(),
            number: split_slug(slug).unwrap().0,
            title: String::new(),
            package: format!("ex{slug}"),
            timeout_secs: 1,
            hint: String::new(),
        };
        Course {
            root: PathBuf::new(),
            exercises: vec![
                ex("00-welcome"),
                ex("04-the-gil"),
                ex("05-threads-under-the-gil"),
            ],
        }
    }

    #[test]
    fn names_resolve_by_number_slug_and_prefix() {
        let c = course();
        assert_eq!(c.find("4").unwrap().slug, "04-the-gil");
        assert_eq!(c.find("04").unwrap().slug, "04-the-gil");
        assert_eq!(c.find("04-the-gil").unwrap().slug, "04-the-gil");
        assert_eq!(c.find("the").unwrap().slug, "04-the-gil");
        assert_eq!(c.find("thr").unwrap().slug, "05-threads-under-the-gil");
        assert_eq!(c.find("wel").unwrap().slug, "00-welcome");
    }

    #[test]
    fn an_unknown_name_suggests_the_nearest() {
        let err = course().find("gli").unwrap_err().to_string();
        assert!(err.contains("no exercise named \"gli\""), "{err}");
        assert!(err.contains("04-the-gil"), "{err}");
    }

    #[test]
    fn an_ambiguous_prefix_lists_the_candidates() {
        let err = course().find("t").unwrap_err().to_string();
        assert!(err.contains("could be"), "{err}");
    }
}
