//! Every link between the book's pages, and every picture, resolves to a file in
//! `src/`: a renamed or unwritten chapter cannot leave a dead link behind. (The
//! browser test checks the built HTML; this one fails fast, before any build.)

use std::path::Path;

mod support;

use support::book_pages as pages;

/// The targets of `[text](target)` and `![alt](target)` links that stay inside the book.
fn local_targets(markdown: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut rest = markdown;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = rest[..end].split('#').next().unwrap_or("").trim();
        if !target.is_empty() && !target.contains("://") && !target.starts_with("mailto:") {
            targets.push(target.to_string());
        }
    }
    targets
}

#[test]
fn every_link_between_pages_and_every_picture_resolves() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut dead = Vec::new();
    for (name, text) in pages() {
        // A link is relative to its page's folder, as mdBook reads it.
        let dir = src.join(&name).parent().map(Path::to_path_buf).unwrap_or_else(|| src.clone());
        for target in local_targets(&text) {
            if !dir.join(&target).exists() {
                dead.push(format!("src/{name} links {target}"));
            }
        }
    }
    assert!(dead.is_empty(), "dead links (write the page, or link it once it exists):\n{}", dead.join("\n"));
}

#[test]
fn every_chapter_page_is_in_the_summary() {
    let summary = pages().into_iter().find(|(n, _)| n == "SUMMARY.md").expect("src/SUMMARY.md").1;
    let missing: Vec<String> = pages()
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| n != "SUMMARY.md" && !summary.contains(&format!("({n})")))
        .collect();
    assert!(missing.is_empty(), "pages not in src/SUMMARY.md: {missing:?}");
}

/// The Rust blocks of a page: (line of the opening fence, info string, body).
fn rust_blocks(markdown: &str) -> Vec<(usize, String, String)> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else { continue };
        let body: Vec<&str> = lines.by_ref().map(|(_, l)| l).take_while(|l| !l.trim_start().starts_with("```")).collect();
        if info.split(',').next() == Some("rust") {
            blocks.push((n + 1, info.to_string(), body.join("\n")));
        }
    }
    blocks
}

#[test]
fn only_blocks_the_playground_can_run_offer_the_run_button() {
    // The playground has std, rayon and tokio; it has none of the course's crates, and
    // an included file comes from an exercise or solution crate.
    let course_crates = ["python_model", "timing", "timeline", "loopback", "crate::", "{{#include"];
    let mut wrong = Vec::new();
    let mut runnable = 0;
    for (name, text) in pages() {
        for (line, info, body) in rust_blocks(&text) {
            let flags: Vec<&str> = info.split(',').map(str::trim).collect();
            if flags.iter().any(|f| matches!(*f, "noplayground" | "no_run" | "ignore")) {
                continue;
            }
            match course_crates.iter().find(|c| body.contains(*c)) {
                Some(c) => wrong.push(format!(
                    "src/{name}:{line}: this block uses `{c}`, which play.rust-lang.org lacks: mark it ```{info},noplayground"
                )),
                None => runnable += 1,
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(runnable > 0, "no block of the book can run on the playground");
}

#[test]
fn no_block_is_ignored_without_a_written_reason() {
    // `cargo test` compiles every Rust block; one that is `ignore`d must say why, in an
    // HTML comment right above it: <!-- ignored: needs a network connection -->
    let mut silent = Vec::new();
    let mut ignored = 0;
    for (name, text) in pages() {
        let lines: Vec<&str> = text.lines().collect();
        for (line, info, _) in rust_blocks(&text) {
            if !info.split(',').any(|f| f.trim() == "ignore") {
                continue;
            }
            ignored += 1;
            let above = lines[..line - 1].iter().rev().find(|l| !l.trim().is_empty());
            if !above.is_some_and(|l| l.trim_start().starts_with("<!-- ignored:")) {
                silent.push(format!("src/{name}:{line}: an ignored block with no `<!-- ignored: reason -->` above it"));
            }
        }
    }
    assert!(silent.is_empty(), "{}", silent.join("\n"));
    println!("book: {ignored} ignored block(s), each with its reason");
}
