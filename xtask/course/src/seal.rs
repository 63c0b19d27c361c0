//! The seal: SHA-256 hashes of the files a learner must not edit for a grade to
//! mean anything, the checks (`exercises/*/tests/**`) and each exercise's
//! `Cargo.toml`, committed as `exercises/SEALED.sha256` in `sha256sum`'s format.
//! `check --strict` refuses to grade a checkout that differs from it; `verify`
//! proves it is up to date.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use crate::course::Course;
use crate::files;

/// The seal's path under the course root.
pub fn path(root: &Path) -> PathBuf {
    root.join("exercises").join("SEALED.sha256")
}

/// Hashes of every sealed file as it is now, by path relative to the root.
pub fn current(course: &Course) -> Result<BTreeMap<String, String>> {
    let mut sealed = Vec::new();
    for ex in &course.exercises {
        sealed.push(ex.exercise_dir.join("Cargo.toml"));
        let tests = ex.exercise_dir.join("tests");
        if tests.is_dir() {
            sealed.extend(files::all_below(&tests)?);
        }
    }
    let mut hashes = BTreeMap::new();
    for file in sealed {
        let bytes = fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
        let rel = file
            .strip_prefix(&course.root)
            .unwrap_or(&file)
            .to_string_lossy()
            .into_owned();
        hashes.insert(rel, files::hex(&Sha256::digest(&bytes)));
    }
    Ok(hashes)
}

/// The committed hashes; `None` when there is no seal file.
pub fn committed(root: &Path) -> Result<Option<BTreeMap<String, String>>> {
    let Ok(text) = fs::read_to_string(path(root)) else {
        return Ok(None);
    };
    let mut hashes = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let (hash, file) = line.split_once("  ").with_context(|| {
            format!("exercises/SEALED.sha256 has a line that is not `HASH  PATH`: {line}")
        })?;
        hashes.insert(file.to_string(), hash.to_string());
    }
    Ok(Some(hashes))
}

/// Writes the seal from the files as they are now.
pub fn write(course: &Course) -> Result<usize> {
    let hashes = current(course)?;
    let mut text = String::from(
        "# The checks as shipped. `cargo xtask check --strict` refuses to grade if any differs;\n# `cargo xtask seal` rewrites this file after a maintainer changes the checks.\n",
    );
    for (file, hash) in &hashes {
        text.push_str(&format!("{hash}  {file}\n"));
    }
    fs::write(path(&course.root), text).context("writing exercises/SEALED.sha256")?;
    Ok(hashes.len())
}

/// Files that differ between the seal and the tree: edited, added or missing.
pub fn differences(
    sealed: &BTreeMap<String, String>,
    now: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (file, hash) in now {
        match sealed.get(file) {
            Some(h) if h == hash => {}
            Some(_) => out.push(format!("{file} (edited)")),
            None => out.push(format!("{file} (added)")),
        }
    }
    for file in sealed.keys().filter(|f| !now.contains_key(*f)) {
        out.push(format!("{file} (missing)"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_name_edited_added_and_missing_files() {
        let sealed = BTreeMap::from([
            ("a".to_string(), "1".to_string()),
            ("b".to_string(), "2".to_string()),
        ]);
        let now = BTreeMap::from([
            ("a".to_string(), "9".to_string()),
            ("c".to_string(), "3".to_string()),
        ]);
        assert_eq!(
            differences(&sealed, &now),
            vec!["a (edited)", "c (added)", "b (missing)"]
        );
    }

    #[test]
    fn hashes_are_lowercase_hex_sha256() {
        assert_eq!(
            files::hex(&Sha256::digest(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
