//! Hints: a ladder per step, kept where a learner does not read them by accident
//! (`solutions/NN-slug/hints.toml`, beside the answer they lead to).
//!
//! ```toml
//! [frames]          # a step's name, as `// step frames: …` declares it in checks.rs
//! idea = "…"        # rung 1: the idea and the page section to read, no code
//! shape = "…"       # rung 2: the APIs to use and the shape of the code
//! code = "…"        # rung 3: close to the code
//! ```
//!
//! `cargo xtask hint NN [STEP]` climbs one rung per call; the rung a learner reached is
//! kept with their progress and reported to instructors in the JSON results.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::Result;
use serde::Deserialize;

use crate::UserError;

/// The file, under the solution's folder.
pub const HINTS_FILE: &str = "hints.toml";

/// The rungs of a ladder, lowest first.
pub const RUNGS: [&str; 3] = ["idea", "shape", "code"];

/// One step's ladder.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ladder {
    /// Rung 1: the idea and the page section to read, no code.
    pub idea: String,
    /// Rung 2: the APIs to use and the shape of the code.
    pub shape: String,
    /// Rung 3: close to the code.
    pub code: String,
}

impl Ladder {
    /// Rung `n` (1 to 3), trimmed.
    pub fn rung(&self, n: usize) -> &str {
        match n {
            0 | 1 => self.idea.trim(),
            2 => self.shape.trim(),
            _ => self.code.trim(),
        }
    }
}

/// A chapter's ladders, by step name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hints {
    pub ladders: BTreeMap<String, Ladder>,
}

impl Hints {
    /// Reads `solution_dir/hints.toml`; `None` when the chapter has none.
    pub fn load(solution_dir: &Path) -> Result<Option<Hints>> {
        let path = solution_dir.join(HINTS_FILE);
        let Ok(text) = fs::read_to_string(&path) else { return Ok(None) };
        let ladders: BTreeMap<String, Ladder> = toml::from_str(&text)
            .map_err(|e| UserError::new(format!("{} is not a hint file the course can read: {e}", path.display())))?;
        Ok(Some(Hints { ladders }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ladder_reads_its_three_rungs_and_refuses_a_fourth() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join(HINTS_FILE),
            "[frames]\nidea = \"think\"\nshape = \"read_exact\"\ncode = \"let n = …\"\n",
        )
        .unwrap();
        let hints = Hints::load(dir.path()).unwrap().unwrap();
        let ladder = &hints.ladders["frames"];
        assert_eq!((ladder.rung(1), ladder.rung(2), ladder.rung(3)), ("think", "read_exact", "let n = …"));
        fs::write(dir.path().join(HINTS_FILE), "[frames]\nidea = \"a\"\nshape = \"b\"\ncode = \"c\"\nmore = \"d\"\n").unwrap();
        assert!(Hints::load(dir.path()).is_err());
        assert_eq!(Hints::load(&dir.path().join("none")).unwrap(), None);
    }
}
