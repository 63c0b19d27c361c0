//! The course on disk: where its root is and which chapters it has. Chapters are
//! found by listing `exercises/`; nothing else names them.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::UserError;
use crate::exercise::Exercise;
#[cfg(test)]
use crate::exercise::split_slug;

/// The course checkout the runner works on.
#[derive(Debug, Clone)]
pub struct Course {
    /// The folder holding the workspace `Cargo.toml`, `exercises/` and `solutions/`.
    pub root: PathBuf,
    /// Every exercise, ordered by its number.
    pub exercises: Vec<Exercise>,
}

/// Where the course was found, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Named by `COURSE_ROOT`.
    ByVariable,
    /// Where `cargo run` found the runner's own manifest (`CARGO_MANIFEST_DIR`, which
    /// cargo sets when it runs the runner).
    ByCargo,
    /// In the current folder or the nearest one above it that holds a course.
    AroundHere,
}

impl Course {
    /// Finds the course at run time: `COURSE_ROOT` if set; else the course around the
    /// runner's manifest as `cargo run` reports it (`CARGO_MANIFEST_DIR` read at run
    /// time, never the path compiled into the runner, which a copied course does not
    /// share); else the current folder or the nearest one above it that holds a course.
    pub fn discover() -> Result<(Course, Found)> {
        if let Some(dir) = std::env::var_os("COURSE_ROOT") {
            return Ok((Self::load(Path::new(&dir))?, Found::ByVariable));
        }
        if let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR")
            && let Some(root) = Path::new(&manifest_dir).ancestors().find(|dir| is_course_root(dir))
        {
            return Ok((Self::load(root)?, Found::ByCargo));
        }
        let here = std::env::current_dir().context("reading the current folder")?;
        match here.ancestors().find(|dir| is_course_root(dir)) {
            Some(root) => Ok((Self::load(root)?, Found::AroundHere)),
            None => bail!(UserError::new(format!(
                "{} is not inside a checkout of the course (no folder above it holds Cargo.toml and exercises/); \
                 cd into the course, or set COURSE_ROOT",
                here.display()
            ))),
        }
    }

    /// Whether the current folder is the root or inside it: when it is not, the runner
    /// says which course it works on.
    pub fn contains_current_dir(&self) -> bool {
        let Ok(here) = std::env::current_dir() else { return false };
        let root = self.root.canonicalize().unwrap_or_else(|_| self.root.clone());
        let here = here.canonicalize().unwrap_or(here);
        here.starts_with(root)
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
            if !entry.path().join("Cargo.toml").is_file() {
                continue;
            }
            let slug = entry.file_name().to_string_lossy().into_owned();
            exercises.push(Exercise::load(root, &slug)?);
        }
        exercises.sort_by(|a, b| (a.number, &a.slug).cmp(&(b.number, &b.slug)));
        if exercises.is_empty() {
            bail!(UserError::new(format!(
                "{} holds no exercise crates; is this a checkout of the course?",
                dir.display()
            )));
        }
        Ok(Course { root: root.to_path_buf(), exercises })
    }

    /// The exercises a command names, in course order without repeats; `all` (or no
    /// name, with `all_when_none`) gives every one.
    pub fn select(&self, names: &[String], all: bool) -> Result<Vec<&Exercise>> {
        if all || names.is_empty() {
            return Ok(self.exercises.iter().collect());
        }
        let mut chosen: Vec<&Exercise> = Vec::new();
        for name in names {
            let ex = self.find(name)?;
            if !chosen.iter().any(|c| c.slug == ex.slug) {
                chosen.push(ex);
            }
        }
        chosen.sort_by_key(|e| e.number);
        Ok(chosen)
    }

    /// A path relative to the root, for messages.
    pub fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.root).unwrap_or(path).display().to_string()
    }

    /// Resolves what a learner typed: the slug, the number (`1`, `01`) or an
    /// unambiguous prefix of the slug or of the name after the number.
    pub fn find(&self, name: &str) -> Result<&Exercise> {
        let wanted = name.trim().to_lowercase();
        if let Ok(n) = wanted.parse::<u32>()
            && let Some(ex) = self.exercises.iter().find(|e| e.number == n)
        {
            return Ok(ex);
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

/// A course root holds the workspace manifest and `exercises/`.
fn is_course_root(dir: &Path) -> bool {
    dir.join("Cargo.toml").is_file() && dir.join("exercises").is_dir()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> Course {
        let ex = |slug: &str| Exercise {
            slug: slug.into(),
            number: split_slug(slug).unwrap().0,
            title: String::new(),
            timeout_secs: 1,
            hint: String::new(),
            exercise_dir: PathBuf::new(),
            solution_dir: PathBuf::new(),
            page: PathBuf::new(),
            package: format!("ex{slug}"),
            solution_package: None,
            steps: Vec::new(),
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
