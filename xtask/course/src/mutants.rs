//! What mutation testing found, per chapter: `solutions/NN-slug/mutants.toml`, written by
//! `cargo xtask mutants NN` from a run of cargo-mutants over the solution's own code
//! with the chapter's checks as the test suite. It records the fingerprint of what it
//! measured (the solution's `src/` and the checks), so a changed solution or check
//! with a stale results file is caught by `cargo test`, and every surviving mutant
//! with the maintainer's reason it is equivalent or harmless.
//!
//! ```toml
//! measured = "3f2a…"   # files::fingerprint of the solution's src and the checks file
//! tool = "cargo-mutants 27.0.0"
//! caught = 41
//! timeout = 2          # the checks hung on the mutant: the watchdog would have caught it
//! unviable = 7         # did not compile: not counted
//!
//! [[survivor]]
//! mutant = "src/pool.rs:88:9: replace Pool::len -> usize with 1"
//! why = "len is only printed in a report line"
//! ```

use std::fs;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::exercise::Exercise;
use crate::{UserError, files};

/// The file, under the solution's folder.
pub const RESULTS_FILE: &str = "mutants.toml";

/// The share of viable mutants the checks must catch (issue 14: at least 90%).
pub const REQUIRED_CAUGHT: f64 = 0.90;

/// A chapter's mutation results.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MutationResults {
    /// The fingerprint of what was measured ([`measured_fingerprint`]).
    pub measured: String,
    /// The tool and its version.
    pub tool: String,
    pub caught: usize,
    pub timeout: usize,
    pub unviable: usize,
    /// The mutants no check caught, each with why that is acceptable.
    #[serde(default, rename = "survivor")]
    pub survivors: Vec<Survivor>,
}

/// A mutant no check caught.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Survivor {
    /// cargo-mutants' name for it: file, line and the change.
    pub mutant: String,
    /// Why it is equivalent to the reference or harmless; empty until a maintainer says.
    #[serde(default)]
    pub why: String,
}

impl MutationResults {
    /// Viable mutants: those that compiled.
    pub fn viable(&self) -> usize {
        self.caught + self.timeout + self.survivors.len()
    }

    /// The share of viable mutants caught (a time-out counts: the watchdog stops it).
    pub fn caught_share(&self) -> f64 {
        match self.viable() {
            0 => 1.0,
            n => (self.caught + self.timeout) as f64 / n as f64,
        }
    }

    /// Reads `solutions/NN-slug/mutants.toml`; `None` when there is none.
    pub fn load(ex: &Exercise) -> Result<Option<MutationResults>> {
        let path = ex.solution_dir.join(RESULTS_FILE);
        let Ok(text) = fs::read_to_string(&path) else { return Ok(None) };
        toml::from_str(&text)
            .map(Some)
            .map_err(|e| UserError::new(format!("{} is not a results file the course can read: {e}", path.display())).into())
    }

    /// Writes the file, keeping the reasons already given for survivors that remain.
    pub fn save(&self, ex: &Exercise) -> Result<()> {
        let path = ex.solution_dir.join(RESULTS_FILE);
        let text = toml::to_string_pretty(self).map_err(|e| anyhow::anyhow!("encoding {}: {e}", path.display()))?;
        let header = format!(
            "# Mutation testing of {}: `cargo xtask mutants {:02}` (cargo-mutants over the solution's own code,\n\
             # the chapter's checks as the test suite). A survivor needs a `why`: equivalent, or harmless.\n",
            ex.slug, ex.number
        );
        fs::write(&path, header + &text).map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))
    }
}

/// The fingerprint of what mutation testing measures for `ex`: the solution's own
/// `src/` and the chapter's checks file.
pub fn measured_fingerprint(ex: &Exercise) -> Result<String> {
    let src = files::fingerprint(&ex.solution_dir.join("src"))?;
    let checks = files::fingerprint(&ex.exercise_dir.join("tests"))?;
    Ok(format!("{src}-{checks}"))
}
