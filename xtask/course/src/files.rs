//! Files on disk: listing a folder, and a fingerprint of what a learner wrote.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

/// Every file below `dir`, recursively, sorted.
pub fn all_below(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    collect(dir, &mut out)?;
    out.sort();
    Ok(out)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry.with_context(|| format!("listing {}", dir.display()))?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// A short fingerprint of every file below `dir` (names and contents): the same files
/// give the same fingerprint, any edit, addition or removal another one. A missing
/// folder has a fingerprint too.
pub fn fingerprint(dir: &Path) -> Result<String> {
    let mut hash = Sha256::new();
    if dir.is_dir() {
        for file in all_below(dir)? {
            let rel = file.strip_prefix(dir).unwrap_or(&file);
            hash.update(rel.to_string_lossy().as_bytes());
            hash.update([0]);
            let bytes = fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(&bytes);
        }
    }
    Ok(hex(&hash.finalize()[..8]))
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_changes_with_an_edit_and_comes_back_with_the_old_text() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("lib.rs"), "fn a() {}").unwrap();
        let before = fingerprint(dir.path()).unwrap();
        fs::write(dir.path().join("lib.rs"), "fn b() {}").unwrap();
        assert_ne!(fingerprint(dir.path()).unwrap(), before);
        fs::write(dir.path().join("lib.rs"), "fn a() {}").unwrap();
        assert_eq!(fingerprint(dir.path()).unwrap(), before);
        fs::write(dir.path().join("new.rs"), "").unwrap();
        assert_ne!(fingerprint(dir.path()).unwrap(), before);
    }
}
