//! `cargo xtask reset`: restores an exercise's stub. The learner's files are copied
//! to `.course/backups/` first, and the backup's path is printed.

use std::fs;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};

use course::{Course, UserError, files, pristine};

use crate::Done;
use crate::learner::load_progress;

pub fn run(course: &Course, name: &str) -> Result<Done> {
    let ex = course.find(name)?;
    let mut progress = load_progress(course)?;
    let rev = progress
        .base
        .clone()
        .ok_or_else(|| UserError::new("this course is not a git checkout, so the original stubs cannot be found; clone the course with git to use reset"))?;
    let src = ex.learner_src();
    // Fetch the originals before touching anything, so a git problem changes nothing.
    let originals = pristine::files_at(&course.root, &rev, &src)?;

    let backup = backup_dir(course, &ex.slug);
    let current = if src.is_dir() { files::all_below(&src)? } else { Vec::new() };
    for file in &current {
        let rel = file.strip_prefix(&course.root).unwrap_or(file);
        let to = backup.join(rel);
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        fs::copy(file, &to)
            .with_context(|| format!("backing up {} to {}", file.display(), to.display()))?;
    }
    // Only now, with every file safe in the backup, replace the learner's files.
    for file in &current {
        fs::remove_file(file).with_context(|| format!("removing {}", file.display()))?;
    }
    for (rel, bytes) in &originals {
        let to = course.root.join(rel);
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        fs::write(&to, bytes).with_context(|| format!("restoring {}", to.display()))?;
    }
    progress.forget_pass(ex);
    progress.save(&course.root)?;

    if current.is_empty() {
        println!(
            "Restored the stub of {} (there were no files of yours to back up).",
            ex.slug
        );
    } else {
        println!(
            "Backed up your {} file(s) to {}",
            current.len(),
            backup.display()
        );
        println!(
            "Restored the stub of {} from commit {}.",
            ex.slug,
            &rev[..rev.len().min(12)]
        );
    }
    Ok(Done::Passed)
}

/// A fresh folder name per reset, so an earlier backup is never overwritten.
fn backup_dir(course: &Course, slug: &str) -> PathBuf {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let base = course.root.join(".course").join("backups");
    let mut n = 0;
    loop {
        let name = if n == 0 {
            format!("{slug}-{secs}")
        } else {
            format!("{slug}-{secs}-{n}")
        };
        let dir = base.join(name);
        if !dir.exists() {
            return dir;
        }
        n += 1;
    }
}
