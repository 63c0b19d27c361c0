//! Mutation testing's results stay in step with the solutions: every chapter from 01
//! has `solutions/NN-slug/mutants.toml`, measured on the solution and checks as they
//! are now, with at least 90% of viable mutants caught and a reason for every survivor.
//! `cargo xtask mutants NN` refreshes a chapter's file (it needs no CI: this test only
//! reads what it wrote).

use course::mutants::{MutationResults, REQUIRED_CAUGHT, measured_fingerprint};
use course::Course;

mod support;

#[test]
fn every_chapter_has_fresh_mutation_results_with_every_survivor_explained() {
    let course = Course::load(support::project_root()).expect("the course loads");
    let mut problems = Vec::new();
    let mut table = Vec::new();
    for ex in course.exercises.iter().filter(|e| e.number > 0) {
        let Some(results) = MutationResults::load(ex).expect("mutants.toml reads") else {
            problems.push(format!("{}: no solutions/{}/mutants.toml; run `cargo xtask mutants {:02}`", ex.slug, ex.slug, ex.number));
            continue;
        };
        if results.measured != measured_fingerprint(ex).expect("the files read") {
            problems.push(format!(
                "{}: mutants.toml was measured on another solution or other checks; run `cargo xtask mutants {:02}` again",
                ex.slug, ex.number
            ));
        }
        let share = results.caught_share();
        if share < REQUIRED_CAUGHT {
            problems.push(format!("{}: {:.0}% of viable mutants caught, at least {:.0}% required", ex.slug, share * 100.0, REQUIRED_CAUGHT * 100.0));
        }
        for s in results.survivors.iter().filter(|s| s.why.trim().is_empty()) {
            problems.push(format!("{}: the surviving mutant `{}` has no `why`", ex.slug, s.mutant));
        }
        table.push(format!(
            "{}: {}/{} caught ({:.0}%)",
            ex.slug,
            results.caught + results.timeout,
            results.viable(),
            share * 100.0
        ));
    }
    println!("mutants: {}", table.join("; "));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
