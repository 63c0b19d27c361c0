//! The parts of a chapter's `Cargo.toml` files the course reads. Only these structs
//! know the manifests' shape; everything else asks an [`crate::Exercise`].

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::UserError;

/// A crate's `Cargo.toml`, as far as the course reads it.
#[derive(Debug, Deserialize)]
pub(crate) struct Manifest {
    pub package: Package,
    pub lib: Option<Target>,
    #[serde(default)]
    pub test: Vec<Target>,
    #[serde(default)]
    pub features: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Package {
    pub name: String,
    pub metadata: Option<Metadata>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Metadata {
    pub course: Option<CourseMetadata>,
}

/// `[package.metadata.course]` of an exercise.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct CourseMetadata {
    pub title: String,
    pub timeout_secs: Option<u64>,
    #[serde(default)]
    pub hint: String,
}

/// A `[lib]` or `[[test]]` table.
#[derive(Debug, Deserialize)]
pub(crate) struct Target {
    pub name: Option<String>,
    pub path: Option<String>,
}

impl Manifest {
    /// Reads and parses `dir/Cargo.toml`; a file that is not valid TOML is the user's to fix.
    pub fn read(dir: &Path) -> Result<Manifest> {
        let path = dir.join("Cargo.toml");
        let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&text)
            .map_err(|e| UserError::new(format!("{} is not a manifest the course can read: {e}", path.display())).into())
    }

    /// The `[lib] name`, if the manifest sets one.
    pub fn lib_name(&self) -> Option<&str> {
        self.lib.as_ref().and_then(|l| l.name.as_deref())
    }

    /// The `path` of the `[[test]]` named `name`.
    pub fn test_path(&self, name: &str) -> Option<&str> {
        self.test.iter().find(|t| t.name.as_deref() == Some(name)).and_then(|t| t.path.as_deref())
    }
}
