//! The notes are the syllabus. The introduction's coverage table maps every section
//! of every note to the chapter that teaches it and to the checks that prove the
//! learner built it; this test keeps that table honest: no empty cell, every chapter
//! linked exists, and every check named is a real check of that chapter's exercise.

use std::fs;
use std::path::Path;

use course::Course;

const HEADING: &str = "## What the notes cover, and where";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The cells of each body row of the coverage table.
fn rows() -> Vec<Vec<String>> {
    let intro = fs::read_to_string(root().join("src/introduction.md")).expect("src/introduction.md");
    let section = intro.split_once(HEADING).unwrap_or_else(|| panic!("the introduction has no \"{HEADING}\"")).1;
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2) // the header and the |---| line
        .map(|l| l.trim().trim_matches('|').split(" | ").map(|c| c.trim().to_string()).collect())
        .collect()
}

/// What sits between backticks in `cell`.
fn code_spans(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// The pages a cell links: `(NN-slug.md)` targets.
fn linked_pages(cell: &str) -> Vec<&str> {
    cell.split("](").skip(1).filter_map(|rest| rest.split(')').next()).collect()
}

#[test]
fn every_section_of_the_notes_maps_to_a_chapter_and_real_checks() {
    let rows = rows();
    let course = Course::load(root()).expect("the course loads");
    let mut problems = Vec::new();
    let mut notes_seen = std::collections::BTreeSet::new();
    for (i, cells) in rows.iter().enumerate() {
        let row = i + 1;
        let [note, section, chapters, checks] = cells.as_slice() else {
            problems.push(format!("row {row}: expected 4 cells, found {}: {cells:?}", cells.len()));
            continue;
        };
        for (what, cell) in [("note", note), ("section", section), ("chapter", chapters), ("checks", checks)] {
            if cell.is_empty() {
                problems.push(format!("row {row}: the {what} cell is empty"));
            }
        }
        notes_seen.insert(note.clone());
        let pages = linked_pages(chapters);
        if pages.is_empty() {
            problems.push(format!("row {row} ({section}): no chapter linked"));
        }
        let mut chapters = Vec::new();
        for page in &pages {
            let slug = page.trim_end_matches(".md");
            match course.exercises.iter().find(|e| e.slug == slug) {
                Some(ex) => chapters.push(ex),
                None => problems.push(format!("row {row}: links {page}, which is no chapter of the course")),
            }
        }
        let named = code_spans(checks);
        if named.is_empty() {
            problems.push(format!("row {row} ({section}): names no check"));
        }
        for check in named {
            if !chapters.iter().any(|ex| ex.check(check).is_some()) {
                problems.push(format!("row {row}: `{check}` is not a check of {}", pages.join(" or ")));
            }
        }
    }
    assert!(problems.is_empty(), "the coverage table in src/introduction.md:\n{}", problems.join("\n"));
    assert!(rows.len() >= 30, "the coverage table has only {} rows", rows.len());
    assert_eq!(notes_seen.len(), 5, "the table should cover all five notes, it names {notes_seen:?}");
    println!("coverage: {} sections of {} notes, each mapped to a chapter and its checks", rows.len(), notes_seen.len());
}
