//! Turns the book's pages into doctests of the root package, so `cargo test`
//! compiles (and, where they have a `main`, runs) every Rust block in `src/`.
//!
//! `{{#include file:anchor}}` is expanded here the way mdBook expands it, so a block
//! that mixes included and written code is compiled whole. A block that is nothing
//! but an include shows a piece of an exercise or solution crate: that crate's own
//! build compiles it (`verify` builds every one), so it is not compiled a second
//! time out of context.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let src = root.join("src");
    println!("cargo::rerun-if-changed=src");

    let mut pages = Vec::new();
    markdown_pages(&src, &mut pages);
    pages.retain(|p| p.file_name().is_some_and(|n| n != "SUMMARY.md"));
    pages.sort();

    let mut modules = String::new();
    for page in &pages {
        let text = fs::read_to_string(page).unwrap_or_else(|e| panic!("reading {}: {e}", page.display()));
        // Includes are relative to the page's own folder, as mdBook reads them.
        let doc = doctest_markdown(&text, page.parent().unwrap_or(&src));
        // `01-processes-and-threads/threads.md` → `01-processes-and-threads-threads`.
        let rel = page.strip_prefix(&src).unwrap_or(page).with_extension("");
        let stem = rel.to_string_lossy().replace(['/', '\\'], "-");
        let file = out.join(format!("{stem}.md"));
        fs::write(&file, doc).unwrap_or_else(|e| panic!("writing {}: {e}", file.display()));
        let module = format!("page_{}", stem.replace('-', "_"));
        writeln!(
            modules,
            "#[doc = include_str!(concat!(env!(\"OUT_DIR\"), \"/{stem}.md\"))]\npub mod {module} {{}}"
        )
        .expect("writing to a String");
    }
    fs::write(out.join("pages.rs"), modules).expect("writing pages.rs");
}

/// Every `.md` file below `dir` (the book's pages and its chapters' sub-pages).
fn markdown_pages(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.is_dir() {
            println!("cargo::rerun-if-changed={}", path.display());
            markdown_pages(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// The page as rustdoc should see it: includes expanded, include-only blocks shown as text.
/// `dir` is the page's folder, which its includes are relative to.
fn doctest_markdown(text: &str, dir: &Path) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            let fence = &trimmed[..3];
            let mut body = Vec::new();
            for inner in lines.by_ref() {
                if inner.trim_start().starts_with(fence) {
                    break;
                }
                body.push(inner.to_string());
            }
            let lang = info.split(',').next().unwrap_or("").trim();
            let include_only = body.iter().all(|l| l.trim().is_empty() || l.trim().starts_with("{{#include"));
            // rustdoc compiles a block with no language as Rust; on these pages it is plain text.
            let info = if lang.is_empty() || (lang == "rust" && include_only) { "text".to_string() } else { info.to_string() };
            out.push_str(&format!("```{info}\n"));
            for l in body {
                out.push_str(&expand_includes(&l, dir, &mut |path| println!("cargo::rerun-if-changed={}", path.display())));
                out.push('\n');
            }
            out.push_str("```\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

// `expand_includes`, written once for this build script and for `tests/pages.rs`.
include!("tests/book/includes.rs");
