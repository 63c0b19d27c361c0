//! The `{{#exercise}}` preprocessor: each chapter's exercise box is written from
//! the page's slug and its exercise crate (metadata and check names), so a renamed
//! exercise or a new check can never leave a stale box behind.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use mdbook_driver::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use serde::Deserialize;

const PLACEHOLDER: &str = "{{#exercise}}";

/// Replaces `{{#exercise}}` in `src/NN-slug.md` with the box for `exercises/NN-slug`.
pub struct ExerciseBox {
    /// The course root, where `exercises/` lives.
    pub root: PathBuf,
}

#[derive(Deserialize)]
struct Manifest {
    package: Package,
}

#[derive(Deserialize)]
struct Package {
    metadata: Metadata,
}

#[derive(Deserialize)]
struct Metadata {
    course: CourseMeta,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct CourseMeta {
    title: String,
    timeout_secs: Option<u64>,
}

impl Preprocessor for ExerciseBox {
    fn name(&self) -> &str {
        "exercise-box"
    }

    fn run(&self, _ctx: &PreprocessorContext, mut book: Book) -> mdbook_preprocessor::errors::Result<Book> {
        let mut failure = None;
        book.for_each_mut(|item| {
            let BookItem::Chapter(chapter) = item else { return };
            if failure.is_some() || !chapter.content.contains(PLACEHOLDER) {
                return;
            }
            let Some(slug) = chapter.path.as_deref().and_then(slug_of) else {
                failure = Some(anyhow::anyhow!("{PLACEHOLDER} is only for chapter pages named NN-slug.md"));
                return;
            };
            match render(&self.root, &slug) {
                Ok(html) => chapter.content = chapter.content.replace(PLACEHOLDER, &html),
                Err(e) => failure = Some(e.context(format!("the exercise box of src/{slug}.md"))),
            }
        });
        match failure {
            Some(e) => Err(e),
            None => Ok(book),
        }
    }
}

/// `01-processes-and-threads.md` → `01-processes-and-threads`.
fn slug_of(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let (num, rest) = stem.split_once('-')?;
    (num.len() == 2 && num.chars().all(|c| c.is_ascii_digit()) && !rest.is_empty()).then(|| stem.to_string())
}

/// The box's Markdown for one exercise.
pub fn render(root: &Path, slug: &str) -> Result<String> {
    let dir = root.join("exercises").join(slug);
    let manifest_path = dir.join("Cargo.toml");
    let text = fs::read_to_string(&manifest_path)
        .with_context(|| format!("the page has no exercise crate at exercises/{slug}"))?;
    let manifest: Manifest = toml::from_str(&text)
        .with_context(|| format!("{} has no [package.metadata.course] with a title", manifest_path.display()))?;
    let checks_path = dir.join("tests/checks.rs");
    let checks = check_names(&fs::read_to_string(&checks_path).with_context(|| format!("reading {}", checks_path.display()))?);
    if checks.is_empty() {
        bail!("{} defines no #[test]", checks_path.display());
    }
    let number = &slug[..2];
    let meta = manifest.package.metadata.course;
    let mut out = String::new();
    out.push_str("<div class=\"exercise-box\">\n\n");
    out.push_str(&format!("### Exercise {number}: {}\n\n", meta.title));
    out.push_str(&format!("- **Your files:** `exercises/{slug}/src/`\n"));
    out.push_str(&format!("- **Check them:** `cargo xtask check {number}`\n"));
    out.push_str(&format!(
        "- **Stuck?** `cargo xtask hint {number}`. Once it passes: `cargo xtask solution {number}`. To start over: `cargo xtask reset {number}` (your files are backed up first).\n"
    ));
    if let Some(secs) = meta.timeout_secs {
        out.push_str(&format!("- **Time limit:** {secs} s per check; a check still running then is stopped and reported as timed out.\n"));
    }
    out.push_str(&format!("- **The {} checks prove:**\n", checks.len()));
    for check in &checks {
        out.push_str(&format!("  - {}\n", check.replace('_', " ")));
    }
    out.push_str("\n</div>\n");
    Ok(out)
}

/// The names of the `#[test]` functions in a checks file, in order.
pub fn check_names(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut after_test_attr = false;
    for line in source.lines().map(str::trim) {
        if line.starts_with("#[test]") {
            after_test_attr = true;
            continue;
        }
        if after_test_attr {
            if let Some(rest) = line.strip_prefix("fn ").or_else(|| line.strip_prefix("async fn ")) {
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                names.push(name);
                after_test_attr = false;
            } else if !line.starts_with("#[") && !line.starts_with("//") {
                after_test_attr = false;
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_names_are_read_in_order_past_other_attributes() {
        let src = "#[test]\nfn a_b() {}\n\n#[test]\n#[should_panic]\nfn c() {}\nfn helper() {}\n";
        assert_eq!(check_names(src), vec!["a_b", "c"]);
    }

    #[test]
    fn only_chapter_pages_have_slugs() {
        assert_eq!(slug_of(Path::new("01-processes-and-threads.md")).as_deref(), Some("01-processes-and-threads"));
        assert_eq!(slug_of(Path::new("introduction.md")), None);
    }
}
