//! The learner's progress: one small plain-text file, `.course/progress`, that git
//! ignores. It holds only what a re-check can rebuild: which exercises passed, and
//! the commit the course was cloned at (where `reset` finds the original stubs).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

const HEADER: &str = "# Beyond the GIL: your progress. Written by `cargo xtask check`; deleting it loses nothing a re-check cannot rebuild.";

/// What the progress file says.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Progress {
    /// Slugs of exercises whose every check passed the last time they were checked.
    pub passed: BTreeSet<String>,
    /// The commit the stubs came from, recorded on the first run.
    pub base: Option<String>,
    /// Set when the file existed but could not be read; it is rewritten on the next save.
    pub was_corrupt: bool,
    /// Whether the file existed at all (a first run welcomes the learner).
    pub existed: bool,
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
            None => Progress {
                was_corrupt: true,
                existed: true,
                ..Progress::default()
            },
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
        for slug in &self.passed {
            text.push_str(&format!("passed {slug}\n"));
        }
        let tmp = file.with_extension("tmp");
        fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
        fs::rename(&tmp, &file).with_context(|| format!("writing {}", file.display()))?;
        Ok(())
    }
}

fn parse(bytes: &[u8]) -> Option<Progress> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut progress = Progress::default();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once(' ') {
            Some(("passed", slug)) if is_slug(slug) => {
                progress.passed.insert(slug.to_string());
            }
            Some(("base", rev)) if rev.len() >= 7 && rev.chars().all(|c| c.is_ascii_hexdigit()) => {
                progress.base = Some(rev.to_string());
            }
            _ => return None,
        }
    }
    Some(progress)
}

fn is_slug(s: &str) -> bool {
    s.len() > 3
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = Progress {
            base: Some("0123abcd".into()),
            ..Progress::default()
        };
        p.passed.insert("00-welcome".into());
        p.save(dir.path()).unwrap();
        let back = Progress::load(dir.path());
        assert_eq!(back.passed, p.passed);
        assert_eq!(back.base, p.base);
        assert!(back.existed && !back.was_corrupt);
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
