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

    let mut pages: Vec<PathBuf> = fs::read_dir(&src)
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    pages.retain(|p| p.extension().is_some_and(|e| e == "md") && p.file_name().is_some_and(|n| n != "SUMMARY.md"));
    pages.sort();

    let mut modules = String::new();
    for page in &pages {
        let text = fs::read_to_string(page).unwrap_or_else(|e| panic!("reading {}: {e}", page.display()));
        let doc = doctest_markdown(&text, &src);
        let stem = page.file_stem().and_then(|s| s.to_str()).unwrap_or("page");
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

/// The page as rustdoc should see it: includes expanded, include-only blocks shown as text.
fn doctest_markdown(text: &str, src: &Path) -> String {
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
                out.push_str(&expand_includes(&l, src));
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

/// Expands `{{#include path}}` and `{{#include path:anchor}}` in one line.
fn expand_includes(line: &str, src: &Path) -> String {
    let Some(start) = line.find("{{#include ") else { return line.to_string() };
    let Some(len) = line[start..].find("}}") else { return line.to_string() };
    let spec = line[start + "{{#include ".len()..start + len].trim();
    let (file, anchor) = match spec.split_once(':') {
        Some((f, a)) => (f, Some(a)),
        None => (spec, None),
    };
    let path = src.join(file);
    println!("cargo::rerun-if-changed={}", path.display());
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{{{{#include {spec}}}}}: {e}"));
    let body = match anchor {
        None => text,
        Some(anchor) => {
            let begin = format!("ANCHOR: {anchor}");
            let end = format!("ANCHOR_END: {anchor}");
            let mut inside = false;
            let mut kept = Vec::new();
            for l in text.lines() {
                if l.contains(&end) {
                    break;
                }
                if inside && !l.contains("ANCHOR") {
                    kept.push(l);
                }
                if l.contains(&begin) {
                    inside = true;
                }
            }
            kept.join("\n")
        }
    };
    format!("{}{}{}", &line[..start], body, &line[start + len + 2..])
}
