//! The conventions that tie a chapter together, checked: page, exercise, solution and
//! fixtures exist, are named by the convention and share one checks file.

use std::fs;

use anyhow::Result;

use crate::course::Course;
use crate::exercise::Exercise;
use crate::fixture::{FixtureKind, ALTERNATIVES, MISTAKES};
use crate::manifest::Manifest;

/// What is wrong with how `ex` is wired, as sentences (empty when nothing is).
pub fn problems(course: &Course, ex: &Exercise) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let slug = &ex.slug;
    if !ex.page.is_file() {
        problems.push(format!("no page src/{slug}.md"));
    } else {
        // The box may stand on the opening page or on one of the chapter's sub-pages.
        let mut pages = vec![ex.page.clone()];
        let folder = ex.page.with_extension("");
        if folder.is_dir() {
            pages.extend(crate::files::all_below(&folder)?.into_iter().filter(|p| p.extension().is_some_and(|e| e == "md")));
        }
        let mut boxes = 0;
        for page in &pages {
            boxes += fs::read_to_string(page)?.matches("{{#exercise}}").count();
        }
        if boxes != 1 {
            problems.push(format!("the pages of {slug} hold {boxes} {{{{#exercise}}}} boxes; the chapter has exactly one"));
        }
    }
    let summary = fs::read_to_string(course.root.join("src/SUMMARY.md")).unwrap_or_default();
    if !summary.contains(&format!("({slug}.md)")) {
        problems.push(format!("src/SUMMARY.md does not link {slug}.md"));
    }
    if ex.checks().next().is_none() {
        problems.push(format!("exercises/{slug}/tests/checks.rs defines no #[test]"));
    }
    let Some(solution_package) = &ex.solution_package else {
        problems.push(format!("no solution crate solutions/{slug}"));
        return Ok(problems);
    };
    let expected_package = format!("sol{}", ex.package.trim_start_matches("ex"));
    if !ex.package.starts_with("ex") || solution_package != &expected_package {
        problems.push(format!(
            "the packages must be named exNN-slug and solNN-slug: found {} and {solution_package}",
            ex.package
        ));
    }
    let exercise = Manifest::read(&ex.exercise_dir)?;
    let solution = Manifest::read(&ex.solution_dir)?;
    if exercise.lib_name().is_none() || exercise.lib_name() != solution.lib_name() {
        problems.push("exercise and solution must declare the same [lib] name".into());
    }
    let wanted = format!("../../exercises/{slug}/tests/checks.rs");
    if solution.test_path("checks") != Some(wanted.as_str()) {
        problems.push(format!("the solution's `checks` test must point at {wanted}, not a copy"));
    }
    if ex.solution_dir.join("tests").exists() {
        problems.push(format!("solutions/{slug}/tests exists: the checks live only in the exercise"));
    }

    // Fixtures: one feature each, no feature without a fixture, every named check real.
    let fixtures = ex.fixtures()?;
    for fixture in &fixtures {
        let feature = fixture.feature();
        if !solution.features.contains_key(&feature) {
            problems.push(format!(
                "{} {} has no feature `{feature}` in solutions/{slug}/Cargo.toml",
                fixture.kind_word(),
                fixture.name
            ));
        }
        if let FixtureKind::Mistake { fails } = &fixture.kind {
            if fails.is_empty() {
                problems.push(format!("mistake {} names no check that catches it", fixture.name));
            }
            for expected in fails {
                if ex.check(&expected.check).is_none() {
                    problems.push(format!(
                        "mistake {} names a check that does not exist: `{}`",
                        fixture.name, expected.check
                    ));
                }
            }
        }
    }
    for feature in solution.features.keys() {
        for (prefix, folder) in [("mistake-", MISTAKES), ("alternative-", ALTERNATIVES)] {
            if let Some(name) = feature.strip_prefix(prefix)
                && !fixtures.iter().any(|f| f.feature() == *feature)
            {
                problems.push(format!(
                    "feature `{feature}` of solutions/{slug} has no folder solutions/{slug}/{folder}/{name}"
                ));
            }
        }
    }
    Ok(problems)
}
