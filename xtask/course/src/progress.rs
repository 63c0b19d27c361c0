//! The learner's progress: one small plain-text file, `.course/progress`, that git
//! ignores. It holds only what a re-check can rebuild: which exercises passed and the
//! fingerprint of the files they passed with, and the commit the course was cloned at
//! (where `reset` finds the original stubs).
//!
//! ```text
//! base 3dfd9a2…
//! passed 00-welcome 1f2e3d4c5b6a7988
//! steps 06-multiprocessing 2          (its first 2 steps pass)
//! hint 06-multiprocessing pool 2      (the learner read rungs 1 and 2 of step `pool`)
//! ```

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::exercise::Exercise;
use crate::files;

const HEADER: &str = "# Beyond the GIL: your progress. Written by `cargo xtask check`; deleting it loses nothing a re-check cannot rebuild.";

/// What the progress file says.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Progress {
    /// Exercises whose every check passed the last time they were checked, with the
    /// fingerprint of the learner's files then (`None` in files written before
    /// fingerprints were kept).
    passed: BTreeMap<String, Option<String>>,
    /// How many of an exercise's steps passed, in order, at its last check.
    steps_done: BTreeMap<String, usize>,
    /// The highest hint rung read, by exercise and step.
    hints: BTreeMap<(String, String), usize>,
    /// The commit the stubs came from, recorded on the first run.
    pub base: Option<String>,
    /// Set when the file existed but could not be read; it is rewritten on the next save.
    pub was_corrupt: bool,
    /// Whether the file existed at all (a first run welcomes the learner).
    pub existed: bool,
}

/// Where an exercise stands for the learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Every check passed with the files as they are now.
    Passed,
    /// Every check passed, but the files changed since (an edit, a `git checkout`):
    /// the pass no longer says anything about them until the next check.
    Stale,
    /// Not passed yet, or failed at its last check.
    NotPassed,
}

/// The progress file's path under a course root.
pub fn path(root: &Path) -> PathBuf {
    root.join(".course").join("progress")
}

impl Progress {
    /// Reads the file; a missing file is a fresh start, an unreadable one is rebuilt.
    pub fn load(root: &Path) -> Progress {
        let file = path(root);
        let Ok(bytes) = fs::read(&file) else {
            return Progress::default();
        };
        match parse(&bytes) {
            Some(mut p) => {
                p.existed = true;
                p
            }
            None => Progress { was_corrupt: true, existed: true, ..Progress::default() },
        }
    }

    /// Writes the file whole (a temporary file renamed over it, so it is never half-written).
    pub fn save(&self, root: &Path) -> Result<()> {
        let file = path(root);
        let dir = file.parent().context("progress path has no folder")?;
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut text = format!("{HEADER}\n");
        if let Some(base) = &self.base {
            text.push_str(&format!("base {base}\n"));
        }
        for (slug, fingerprint) in &self.passed {
            match fingerprint {
                Some(f) => text.push_str(&format!("passed {slug} {f}\n")),
                None => text.push_str(&format!("passed {slug}\n")),
            }
        }
        for (slug, n) in &self.steps_done {
            text.push_str(&format!("steps {slug} {n}\n"));
        }
        for ((slug, step), rung) in &self.hints {
            text.push_str(&format!("hint {slug} {step} {rung}\n"));
        }
        let tmp = file.with_extension("tmp");
        fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
        fs::rename(&tmp, &file).with_context(|| format!("writing {}", file.display()))?;
        Ok(())
    }

    /// Records that every check of `exercise` passed with its files as they are now.
    pub fn record_pass(&mut self, exercise: &Exercise) -> Result<()> {
        let fingerprint = files::fingerprint(&exercise.learner_src())?;
        self.passed.insert(exercise.slug.clone(), Some(fingerprint));
        Ok(())
    }

    /// Forgets a pass (a check failed, or the stub was restored).
    pub fn forget_pass(&mut self, exercise: &Exercise) {
        self.passed.remove(&exercise.slug);
    }

    /// Where `exercise` stands, comparing its files with the ones it passed with.
    pub fn standing(&self, exercise: &Exercise) -> Standing {
        match self.passed.get(&exercise.slug) {
            None => Standing::NotPassed,
            Some(None) => Standing::Passed,
            Some(Some(then)) => match files::fingerprint(&exercise.learner_src()) {
                Ok(now) if &now == then => Standing::Passed,
                _ => Standing::Stale,
            },
        }
    }

    /// Whether `exercise` passed with the files as they are now.
    pub fn passes(&self, exercise: &Exercise) -> bool {
        self.standing(exercise) == Standing::Passed
    }

    /// Records how many of `exercise`'s steps passed, in order, at this check.
    pub fn record_steps(&mut self, exercise: &Exercise, done: usize) {
        self.steps_done.insert(exercise.slug.clone(), done);
    }

    /// How many of `exercise`'s steps passed, in order, at its last check.
    pub fn steps_done(&self, exercise: &Exercise) -> usize {
        self.steps_done.get(&exercise.slug).copied().unwrap_or(0)
    }

    /// The highest hint rung read for one step (0: none yet).
    pub fn hint_rung(&self, exercise: &Exercise, step: &str) -> usize {
        self.hints.get(&(exercise.slug.clone(), step.to_string())).copied().unwrap_or(0)
    }

    /// Records that rung `rung` of one step's hints was read (never lowers it).
    pub fn record_hint(&mut self, exercise: &Exercise, step: &str, rung: usize) {
        let entry = self.hints.entry((exercise.slug.clone(), step.to_string())).or_insert(0);
        *entry = (*entry).max(rung);
    }

    /// Every step of `exercise` whose hints were read, with the highest rung.
    pub fn hints_read(&self, exercise: &Exercise) -> Vec<(String, usize)> {
        self.hints
            .iter()
            .filter(|((slug, _), _)| *slug == exercise.slug)
            .map(|((_, step), rung)| (step.clone(), *rung))
            .collect()
    }
}

fn parse(bytes: &[u8]) -> Option<Progress> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut progress = Progress::default();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["passed", slug] if is_slug(slug) => {
                progress.passed.insert(slug.to_string(), None);
            }
            ["passed", slug, fingerprint] if is_slug(slug) && is_hex(fingerprint) => {
                progress.passed.insert(slug.to_string(), Some(fingerprint.to_string()));
            }
            ["base", rev] if rev.len() >= 7 && is_hex(rev) => {
                progress.base = Some(rev.to_string());
            }
            ["steps", slug, n] if is_slug(slug) => {
                progress.steps_done.insert(slug.to_string(), n.parse().ok()?);
            }
            ["hint", slug, step, rung] if is_slug(slug) => {
                progress.hints.insert((slug.to_string(), step.to_string()), rung.parse().ok()?);
            }
            _ => return None,
        }
    }
    Some(progress)
}

fn is_slug(s: &str) -> bool {
    s.len() > 3 && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exercise(root: &Path) -> Exercise {
        let dir = root.join("exercises/00-welcome");
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::write(dir.join("src/lib.rs"), "pub fn answer() -> u32 { 42 }").unwrap();
        Exercise {
            slug: "00-welcome".into(),
            number: 0,
            title: String::new(),
            timeout_secs: 1,
            hint: String::new(),
            exercise_dir: dir,
            solution_dir: PathBuf::new(),
            page: PathBuf::new(),
            package: "ex00-welcome".into(),
            solution_package: None,
            steps: Vec::new(),
        }
    }

    #[test]
    fn progress_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let ex = exercise(dir.path());
        let mut p = Progress { base: Some("0123abcd".into()), ..Progress::default() };
        p.record_pass(&ex).unwrap();
        p.record_steps(&ex, 2);
        p.record_hint(&ex, "frames", 2);
        p.record_hint(&ex, "frames", 1);
        p.save(dir.path()).unwrap();
        let back = Progress::load(dir.path());
        assert_eq!(back, Progress { existed: true, ..p.clone() });
        assert_eq!(back.hint_rung(&ex, "frames"), 2);
        assert_eq!(back.steps_done(&ex), 2);
        assert_eq!(back.passed, p.passed);
        assert_eq!(back.base, p.base);
        assert!(back.existed && !back.was_corrupt);
        assert_eq!(back.standing(&ex), Standing::Passed);
    }

    #[test]
    fn a_pass_goes_stale_when_the_files_change_and_fresh_when_they_come_back() {
        let dir = tempfile::tempdir().unwrap();
        let ex = exercise(dir.path());
        let mut p = Progress::default();
        p.record_pass(&ex).unwrap();
        let lib = ex.learner_src().join("lib.rs");
        fs::write(&lib, "pub fn answer() -> u32 { todo!() }").unwrap();
        assert_eq!(p.standing(&ex), Standing::Stale);
        fs::write(&lib, "pub fn answer() -> u32 { 42 }").unwrap();
        assert_eq!(p.standing(&ex), Standing::Passed);
    }

    #[test]
    fn an_older_file_without_fingerprints_still_reads() {
        let p = parse(b"# header\nbase 0123abcd\npassed 00-welcome\n").unwrap();
        assert_eq!(p.passed.get("00-welcome"), Some(&None));
    }

    #[test]
    fn garbage_is_reported_as_corrupt_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join(".course")).unwrap();
        fs::write(path(dir.path()), b"\xff\xfe not progress").unwrap();
        let p = Progress::load(dir.path());
        assert!(p.was_corrupt);
        assert!(p.passed.is_empty());
    }
}
