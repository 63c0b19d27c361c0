//! The notes are the syllabus. The instructors' appendix (`src/appendix-notes-map.md`)
//! maps every section of every note to the chapter that teaches it and to the checks
//! that prove the learner built it; this test keeps that table honest: no empty cell,
//! every chapter linked exists, every check named is a real check of that chapter's
//! exercise, and the rows where the book corrects the notes stay in it.

use std::fs;
use std::path::Path;

use course::Course;

/// The page that holds the map, below `src/`.
const PAGE: &str = "appendix-notes-map.md";

/// The page that explains the rows where the book corrects the notes, below `src/`.
const CORRECTIONS_PAGE: &str = "appendix-corrections.md";

const HEADING: &str = "## What the notes cover, and where";

/// Where the book corrects the notes: a phrase of the note each correction row quotes,
/// and the heading of the section that explains it (COURSE.md, "The book").
const CORRECTIONS: [(&str, &str); 3] = [
    ("thread safety", "## The GIL ensures thread safety"),
    ("single core", "## Threads run within a single core"),
    ("garbage collection", "## The GIL was created for memory management and garbage collection"),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The appendix's text.
fn page() -> String {
    fs::read_to_string(root().join("src").join(PAGE)).unwrap_or_else(|e| panic!("src/{PAGE}: {e}"))
}

/// The cells of each body row of the coverage table.
fn rows() -> Vec<Vec<String>> {
    let page = page();
    let section = page.split_once(HEADING).unwrap_or_else(|| panic!("src/{PAGE} has no \"{HEADING}\"")).1;
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

/// The chapters a cell links: `(NN-slug.md)` targets (the appendix's own pages left out).
fn linked_pages(cell: &str) -> Vec<&str> {
    cell.split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|target| target.starts_with(|c: char| c.is_ascii_digit()))
        .collect()
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
    assert!(problems.is_empty(), "the coverage table in src/{PAGE}:\n{}", problems.join("\n"));
    assert!(rows.len() >= 30, "the coverage table has only {} rows", rows.len());
    assert_eq!(notes_seen.len(), 5, "the table should cover all five notes, it names {notes_seen:?}");
    println!("coverage: {} sections of {} notes, each mapped to a chapter and its checks", rows.len(), notes_seen.len());
}

#[test]
fn the_map_keeps_the_rows_where_the_book_corrects_the_notes() {
    let page = fs::read_to_string(root().join("src").join(CORRECTIONS_PAGE))
        .unwrap_or_else(|e| panic!("src/{CORRECTIONS_PAGE}: {e}"));
    let rows = rows();
    let mut problems = Vec::new();
    for (phrase, heading) in CORRECTIONS {
        let row = rows.iter().find(|cells| cells.get(1).is_some_and(|c| c.starts_with("Corrected:") && c.contains(phrase)));
        match row {
            None => problems.push(format!("no row of the map starts \"Corrected:\" and quotes the note's \"{phrase}\"")),
            Some(cells) => {
                let anchor = heading.trim_start_matches('#').trim().to_lowercase().replace(' ', "-");
                if !cells[1].contains(&format!("({CORRECTIONS_PAGE}#{anchor})")) {
                    problems.push(format!("the \"{phrase}\" row does not link its explanation, {CORRECTIONS_PAGE}#{anchor}"));
                }
            }
        }
        match page.split_once(heading) {
            None => problems.push(format!("src/{CORRECTIONS_PAGE} has no section \"{heading}\"")),
            Some((_, rest)) => {
                let section = rest.split("\n## ").next().unwrap_or("");
                if !section.lines().any(|l| l.starts_with("> ")) {
                    problems.push(format!("\"{heading}\" quotes no note (a `> ` line)"));
                }
                if !section.contains("http") && !section.contains(".c`") && !section.contains(".h`") {
                    problems.push(format!("\"{heading}\" names no source (a link or a CPython file)"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "the corrections of the notes (src/{PAGE}, src/{CORRECTIONS_PAGE}):\n{}", problems.join("\n"));
}
