//! The `{{#exercise}}` preprocessor: each chapter's exercise box is written from
//! the page's slug and its exercise crate (metadata and check names), so a renamed
//! exercise or a new check can never leave a stale box behind.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use course::Course;
use mdbook_driver::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

const PLACEHOLDER: &str = "{{#exercise}}";

/// Replaces `{{#exercise}}` in `src/NN-slug.md` with the box for `exercises/NN-slug`.
pub struct ExerciseBox {
    /// The course root, where `exercises/` lives.
    pub root: PathBuf,
}

impl Preprocessor for ExerciseBox {
    fn name(&self) -> &str {
        "exercise-box"
    }

    fn run(&self, _ctx: &PreprocessorContext, mut book: Book) -> mdbook_preprocessor::errors::Result<Book> {
        let course = Course::load(&self.root)?;
        let mut failure = None;
        book.for_each_mut(|item| {
            let BookItem::Chapter(chapter) = item else { return };
            if failure.is_some() || !chapter.content.contains(PLACEHOLDER) {
                return;
            }
            let Some(slug) = chapter.path.as_deref().and_then(slug_of) else {
                failure = Some(anyhow::anyhow!("{PLACEHOLDER} is only for a chapter's pages: NN-slug.md or NN-slug/*.md"));
                return;
            };
            match render(&course, &slug) {
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

/// `01-processes-and-threads.md` or a chapter's sub-page `01-processes-and-threads/exercise.md`
/// → `01-processes-and-threads`.
fn slug_of(path: &Path) -> Option<String> {
    let first = path.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".md").unwrap_or(first);
    course::split_slug(name).map(|_| name.to_string())
}

/// The box's Markdown for one exercise: from its metadata and the checks its checks
/// file declares, as the course reads them.
pub fn render(course: &Course, slug: &str) -> Result<String> {
    let Some(ex) = course.exercises.iter().find(|e| e.slug == slug) else {
        bail!("the page has no exercise crate at exercises/{slug}");
    };
    let checks: Vec<String> = ex.checks().map(|c| c.words()).collect();
    if checks.is_empty() {
        bail!("exercises/{slug}/tests/checks.rs defines no #[test]");
    }
    let number = format!("{:02}", ex.number);
    let mut out = String::new();
    out.push_str("<div class=\"exercise-box\">\n\n");
    out.push_str(&format!("### Exercise {number}: {}\n\n", ex.title));
    out.push_str(&format!("- **Your files:** `exercises/{slug}/src/`\n"));
    out.push_str(&format!("- **Check them:** `cargo xtask check {number}`\n"));
    out.push_str(&format!(
        "- **Stuck?** `cargo xtask hint {number}`. Once it passes: `cargo xtask solution {number}`. To start over: `cargo xtask reset {number}` (your files are backed up first).\n"
    ));
    out.push_str(&format!(
        "- **Time limit:** {} s per check; a check still running then is stopped and reported as timed out.\n",
        ex.timeout_secs
    ));
    out.push_str(&format!("- **The {} checks prove:**\n", checks.len()));
    for check in &checks {
        out.push_str(&format!("  - {check}\n"));
    }
    out.push_str("\n</div>\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_chapter_pages_have_slugs() {
        assert_eq!(slug_of(Path::new("01-processes-and-threads.md")).as_deref(), Some("01-processes-and-threads"));
        assert_eq!(slug_of(Path::new("01-processes-and-threads/exercise.md")).as_deref(), Some("01-processes-and-threads"));
        assert_eq!(slug_of(Path::new("introduction.md")), None);
    }
}
