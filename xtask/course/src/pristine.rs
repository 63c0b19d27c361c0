//! The shipped stubs, as the course published them. The learner edits the files in
//! place, so the originals come from git: the commit the course was cloned at (kept
//! in the progress file on the first run), else `HEAD`. Keeping a second copy of
//! every stub in the tree would be a copy that could drift; git already holds it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::UserError;
use crate::watchdog::{self, Finished, Output};

/// git answers these questions in milliseconds; a minute means it is stuck (a lock, a prompt).
const GIT_LIMIT: Duration = Duration::from_secs(60);

/// Runs `git ARGS` in `root` under the watchdog.
fn git(root: &Path, args: &[&std::ffi::OsStr]) -> Result<Finished> {
    let mut cmd = Command::new("git");
    cmd.current_dir(root).args(args);
    watchdog::run(cmd, GIT_LIMIT, Output::Collect)
}

fn succeeded(done: &Finished) -> bool {
    done.status.is_some_and(|s| s.success())
}

/// The commit at `HEAD`, or `None` when the course is not a git checkout.
pub fn head(root: &Path) -> Option<String> {
    let out = git(root, &["rev-parse".as_ref(), "HEAD".as_ref()]).ok()?;
    succeeded(&out).then(|| out.stdout.trim().to_string())
}

/// Every file under `dir` (relative to `root`) as committed at `rev`, with its bytes.
pub fn files_at(root: &Path, rev: &str, dir: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let rel = dir.strip_prefix(root).unwrap_or(dir);
    let out = git(root, &["ls-tree".as_ref(), "-r".as_ref(), "--name-only".as_ref(), rev.as_ref(), "--".as_ref(), rel.as_os_str()])
        .map_err(|e| UserError::new(format!("could not run git ({e:#}); reset restores the original stubs from git, so install git")))?;
    if !succeeded(&out) {
        bail!(UserError::new(format!(
            "git does not know commit {rev} here ({}); restore the stub with `git checkout <commit> -- {}`",
            out.stderr.trim(),
            rel.display()
        )));
    }
    let mut files = Vec::new();
    for name in out.stdout.lines() {
        let spec = format!("{rev}:{name}");
        let blob = git(root, &["show".as_ref(), spec.as_ref()])
            .with_context(|| format!("reading {name} at {rev} from git"))?;
        if !succeeded(&blob) {
            bail!("git could not show {name} at {rev}: {}", blob.stderr.trim());
        }
        files.push((PathBuf::from(name), blob.stdout_bytes));
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
    let out = git(
        root,
        &["status".as_ref(), "--porcelain".as_ref(), "--untracked-files=all".as_ref(), "--".as_ref(), rel.as_os_str()],
    )
    .ok()?;
    if !succeeded(&out) {
        return None;
    }
    Some(
        out.stdout
            .lines()
            .filter_map(|l| l.get(3..))
            .map(str::to_string)
            .collect(),
    )
}
