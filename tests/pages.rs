//! The book as a learner meets it: pages short enough to finish, and the answer
//! nowhere before the pass. A page (its includes expanded), a stub's comments and a
//! first hint rung must not hold a line of code the learner is meant to write: a line
//! of the reference solution that the stub does not have.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use course::{Course, Hints};

mod support;

include!("book/includes.rs");

/// About 1,200 words of prose per page (COURSE.md, "The book"); deeper material goes in
/// `<details>`.
const MAX_PROSE_WORDS: usize = 1_200;

/// A line shorter than this (spaces left out) is too generic to be an answer:
/// `Ok(())`, `}`, `let n = 0;`.
const DISTINCTIVE: usize = 20;

/// An inline code span this long (spaces left out) that stands inside an answer line
/// gives that line away: `command.stdin(Stdio::piped())`.
const GIVES_AWAY: usize = 16;

/// The `code spans` of a line of prose or of a comment.
fn code_spans(text: &str) -> Vec<String> {
    text.split('`').skip(1).step_by(2).map(normal).collect()
}

/// Where `text` gives an answer line away: the line itself, or a long code span of it.
fn gives_away(text: &str, answers: &BTreeMap<String, String>) -> Option<(String, String)> {
    if let Some(from) = answers.get(&normal(text)) {
        return Some((normal(text), from.clone()));
    }
    code_spans(text).into_iter().filter(|span| span.replace(' ', "").len() >= GIVES_AWAY).find_map(|span| {
        answers.iter().find(|(line, _)| line.contains(&span)).map(|(_, from)| (span.clone(), from.clone()))
    })
}

fn root() -> &'static Path {
    support::project_root()
}

/// The words a reader reads as prose: outside code blocks, `<details>`, HTML comments
/// and preprocessor lines.
fn prose_words(markdown: &str) -> usize {
    let mut words = 0;
    let (mut in_code, mut in_details, mut in_comment) = (false, 0usize, false);
    for line in markdown.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if in_comment || t.starts_with("<!--") {
            in_comment = !t.contains("-->");
            continue;
        }
        in_details += t.matches("<details").count();
        let closes = t.matches("</details>").count();
        if in_details > 0 {
            in_details -= closes.min(in_details);
            continue;
        }
        if t.starts_with("{{#") {
            continue;
        }
        words += t.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
    }
    words
}

#[test]
fn every_page_is_short_enough_to_finish() {
    let mut long = Vec::new();
    let mut counts = Vec::new();
    for (name, text) in support::book_pages() {
        if name == "SUMMARY.md" {
            continue;
        }
        let words = prose_words(&text);
        counts.push(words);
        if words > MAX_PROSE_WORDS {
            long.push(format!("src/{name}: {words} words of prose (at most {MAX_PROSE_WORDS}; split it, or fold the deeper part into <details>)"));
        }
    }
    counts.sort_unstable();
    println!("pages: {} pages, median {} words of prose, longest {}", counts.len(), counts[counts.len() / 2], counts.last().unwrap_or(&0));
    assert!(long.is_empty(), "{}", long.join("\n"));
}

/// A line as compared: whitespace collapsed.
fn normal(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_code_line(t: &str) -> bool {
    !(t.is_empty() || t.starts_with("//") || t.starts_with("#[") || t.starts_with("use ") || t.starts_with("pub use "))
}

/// Every `.rs` file's lines below `dir`.
fn rust_lines(dir: &Path) -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    let Ok(files) = course::files::all_below(dir) else { return out };
    for file in files.into_iter().filter(|f| f.extension().is_some_and(|e| e == "rs")) {
        let rel = file.strip_prefix(root()).unwrap_or(&file).display().to_string();
        let text = fs::read_to_string(&file).expect("a source file");
        for (i, line) in text.lines().enumerate() {
            out.push((rel.clone(), i + 1, line.to_string()));
        }
    }
    out
}

/// The lines a learner writes, per chapter: distinctive code lines of the solution's
/// own files that the exercise's files do not hold, with where they stand.
fn answers(course: &Course) -> BTreeMap<String, String> {
    let mut all = BTreeMap::new();
    for ex in &course.exercises {
        let given: BTreeSet<String> = rust_lines(&ex.exercise_dir.join("src")).iter().map(|(_, _, l)| normal(l)).collect();
        for (file, n, line) in rust_lines(&ex.solution_dir.join("src")) {
            let t = normal(&line);
            if is_code_line(&t) && t.replace(' ', "").len() >= DISTINCTIVE && !given.contains(&t) {
                all.entry(t).or_insert(format!("{file}:{n}"));
            }
        }
    }
    all
}

#[test]
fn no_page_shows_a_line_the_learner_writes() {
    let course = Course::load(root()).expect("the course loads");
    let answers = answers(&course);
    let mut shown = Vec::new();
    for (name, text) in support::book_pages() {
        let dir = root().join("src").join(&name).parent().expect("a folder").to_path_buf();
        for (i, line) in text.lines().enumerate() {
            let expanded = expand_includes(line, &dir, &mut |_| {});
            for l in expanded.lines() {
                if let Some((what, from)) = gives_away(l, &answers) {
                    shown.push(format!("src/{name}:{}: `{what}` gives away the answer's line {from}", i + 1));
                }
            }
            if line.contains("-p sol") || line.contains("--package sol") {
                shown.push(format!("src/{name}:{}: runs the solution's crate; a page runs the learner's (`-p exNN-…`)", i + 1));
            }
        }
    }
    assert!(shown.is_empty(), "{} line(s) of the answer on the pages:\n{}", shown.len(), shown.join("\n"));
}

#[test]
fn no_stub_comment_shows_a_line_the_learner_writes() {
    let course = Course::load(root()).expect("the course loads");
    let answers = answers(&course);
    let mut shown = Vec::new();
    for ex in &course.exercises {
        for (file, n, line) in rust_lines(&ex.exercise_dir.join("src")) {
            let t = line.trim_start();
            let Some(comment) = ["//!", "///", "//"].iter().find_map(|p| t.strip_prefix(p)) else { continue };
            if let Some((what, from)) = gives_away(comment, &answers) {
                shown.push(format!("{file}:{n}: the comment's `{what}` gives away the answer's line {from}"));
            }
        }
    }
    assert!(shown.is_empty(), "{} answer line(s) in stub comments:\n{}", shown.len(), shown.join("\n"));
}

#[test]
fn no_first_hint_rung_shows_code() {
    let course = Course::load(root()).expect("the course loads");
    let answers = answers(&course);
    let mut shown = Vec::new();
    for ex in &course.exercises {
        let Some(hints) = Hints::load(&ex.solution_dir).expect("hints.toml reads") else { continue };
        for (step, ladder) in &hints.ladders {
            let idea = ladder.rung(1);
            if idea.contains("```") {
                shown.push(format!("{} step {step}: the first rung holds a code block", ex.slug));
            }
            for line in idea.lines() {
                if let Some((what, from)) = gives_away(line, &answers) {
                    shown.push(format!("{} step {step}: the first rung's `{what}` gives away the answer's line {from}", ex.slug));
                }
            }
        }
    }
    assert!(shown.is_empty(), "{}", shown.join("\n"));
}

#[test]
fn prose_words_leave_out_code_details_and_comments() {
    let page = "One two three.\n\n```rust\nlet not_prose = 1;\n```\n<details>\n<summary>More</summary>\nhidden words here\n</details>\n<!-- a note\nover lines -->\n{{#exercise}}\nfour five\n";
    assert_eq!(prose_words(page), 5);
}
