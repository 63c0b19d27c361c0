//! The shipped stubs, as the course published them. The learner edits the files in
//! place, so the originals come from git: the commit the course was cloned at (kept
//! in the progress file on the first run), else `HEAD`. Keeping a second copy of
//! every stub in the tree would be a copy that could drift; git already holds it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::UserError;

/// The commit at `HEAD`, or `None` when the course is not a git checkout.
pub fn head(root: &Path) -> Option<String> {
    let out = Command::new("git")
        .current_dir(root)
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Every file under `dir` (relative to `root`) as committed at `rev`, with its bytes.
pub fn files_at(root: &Path, rev: &str, dir: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let rel = dir.strip_prefix(root).unwrap_or(dir);
    let out = Command::new("git")
        .current_dir(root)
        .args(["ls-tree", "-r", "--name-only", rev, "--"])
        .arg(rel)
        .output()
        .map_err(|e| UserError::new(format!("could not run git ({e}); reset restores the original stubs from git, so install git")))?;
    if !out.status.success() {
        bail!(UserError::new(format!(
            "git does not know commit {rev} here ({}); restore the stub with `git checkout <commit> -- {}`",
            String::from_utf8_lossy(&out.stderr).trim(),
            rel.display()
        )));
    }
    let mut files = Vec::new();
    for name in String::from_utf8_lossy(&out.stdout).lines() {
        let blob = Command::new("git")
            .current_dir(root)
            .args(["show", &format!("{rev}:{name}")])
            .output()
            .with_context(|| format!("reading {name} at {rev} from git"))?;
        if !blob.status.success() {
            bail!(
                "git could not show {name} at {rev}: {}",
                String::from_utf8_lossy(&blob.stderr).trim()
            );
        }
        files.push((PathBuf::from(name), blob.stdout));
    }
    if files.is_empty() {
        bail!(UserError::new(format!(
            "commit {rev} has no files under {}; nothing to restore",
            rel.display()
        )));
    }
    Ok(files)
}

/// Paths under `dir` that differ from `HEAD` (edited, added or deleted), per `git status`.
/// `None` when git cannot tell (no git, not a checkout).
pub fn local_changes(root: &Path, dir: &Path) -> Option<Vec<String>> {
    let rel = dir.strip_prefix(root).unwrap_or(dir);
    let out = Command::new("git")
        .current_dir(root)
        .args(["status", "--porcelain", "--untracked-files=all", "--"])
        .arg(rel)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.get(3..))
            .map(str::to_string)
            .collect(),
    )
}
