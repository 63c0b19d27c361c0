//! `cargo xtask solution EXERCISE`: once the exercise passes, the reference beside the
//! learner's own code: for every function the learner wrote (a function of the stub as
//! shipped that held a `todo!()`), a diff from theirs to the reference's. The learner
//! compares rather than copies.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use course::{Course, Exercise, files, pristine};
use similar::{ChangeTag, TextDiff};

use crate::Done;
use crate::learner::load_progress;
use crate::rust_items::{self, Function};
use crate::terminal::{bold, green, red};

pub fn run(course: &Course, name: &str, show_anyway: bool) -> Result<Done> {
    let ex = course.find(name)?;
    let progress = load_progress(course)?;
    if !progress.passes(ex) && !show_anyway {
        println!("{} has not passed yet, so its solution stays hidden:", ex.slug);
        println!("solving it is where the learning is. Try `cargo xtask hint {:02}` first,", ex.number);
        println!("or look anyway: cargo xtask solution {:02} --show-anyway", ex.number);
        return Ok(Done::NotPassed);
    }
    let reference = functions_below(&ex.solution_dir.join("src"))?;
    let yours = functions_below(&ex.learner_src())?;
    let written = written_by_the_learner(course, ex, progress.base.as_deref())?;
    println!("{}", bold(&format!("{} · your code beside the reference", ex.slug)));
    if !written.is_empty() {
        println!("For each function you wrote: `-` lines are yours, `+` lines the reference's.\n");
    }
    let mut shown = 0;
    for name in &written {
        let Some(theirs) = reference.get(name) else { continue };
        shown += 1;
        match yours.get(name) {
            Some(mine) if mine.text == theirs.text => {
                println!("{} {}\n", bold(&format!("── {name} ──")), green("the same as the reference"));
            }
            Some(mine) => {
                println!("{}", bold(&format!("── {name} ──")));
                print_diff(&mine.text, &theirs.text);
                println!();
            }
            None => {
                println!("{} (not found in your files; the reference's:)", bold(&format!("── {name} ──")));
                println!("{}\n", theirs.text);
            }
        }
    }
    // Helpers the reference wrote that your files do not have (its `answer` beside your
    // `serve`): without them a diff of the functions you wrote hides half the answer.
    let helpers: Vec<&Function> = reference
        .values()
        .filter(|f| !yours.contains_key(&f.name) && !written.contains(&f.name))
        .collect();
    if shown > 0 && !helpers.is_empty() {
        println!("{}", bold("── the reference's own helpers, which your files do not have ──"));
        for f in helpers {
            println!("{}\n", f.text);
        }
    }
    if shown == 0 {
        // Without the stubs as shipped (not a git checkout), show the reference whole.
        println!("(the stubs as shipped are not in this folder's git history, so there is nothing to compare");
        println!("function by function: here is the reference whole)\n");
        for file in files::all_below(&ex.solution_dir.join("src"))? {
            let text = fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            println!("{}", bold(&format!("── {} ──", course.relative(&file))));
            println!("{}", without_fixture_wiring(&text));
        }
    }
    println!("The whole reference: solutions/{}/src (diff -ru exercises/{0}/src solutions/{0}/src)", ex.slug);
    Ok(Done::Passed)
}

/// The functions of every `.rs` file below `dir`, by qualified name.
fn functions_below(dir: &Path) -> Result<BTreeMap<String, Function>> {
    let mut all = BTreeMap::new();
    for file in files::all_below(dir)?.into_iter().filter(|f| f.extension().is_some_and(|e| e == "rs")) {
        let text = fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
        for f in rust_items::functions(&without_fixture_wiring(&text)) {
            all.entry(f.name.clone()).or_insert(f);
        }
    }
    Ok(all)
}

/// The functions of the stub as shipped that held a `todo!()`: the ones the learner wrote.
fn written_by_the_learner(course: &Course, ex: &Exercise, base: Option<&str>) -> Result<Vec<String>> {
    // The commit the course was first run at, else HEAD: a course copied to a new
    // repository keeps a progress file whose commit that repository does not have.
    let shipped = [base.map(str::to_string), pristine::head(&course.root)]
        .into_iter()
        .flatten()
        .find_map(|rev| pristine::files_at(&course.root, &rev, &ex.learner_src()).ok());
    let Some(shipped) = shipped else {
        return Ok(Vec::new());
    };
    let mut names = Vec::new();
    for (path, bytes) in shipped {
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        for f in rust_items::functions(&String::from_utf8_lossy(&bytes)) {
            if f.text.contains("todo!(") && !names.contains(&f.name) {
                names.push(f.name);
            }
        }
    }
    Ok(names)
}

fn print_diff(mine: &str, theirs: &str) {
    let diff = TextDiff::from_lines(mine, theirs);
    for change in diff.iter_all_changes() {
        let line = change.to_string_lossy();
        let line = line.trim_end_matches('\n');
        match change.tag() {
            ChangeTag::Delete => println!("{}", red(&format!("- {line}"))),
            ChangeTag::Insert => println!("{}", green(&format!("+ {line}"))),
            ChangeTag::Equal => println!("  {line}"),
        }
    }
}

/// The solution as a learner should read it: the lines that swap a fixture's module
/// in (`#[cfg_attr(feature = "mistake-…", path = …)]`) are the course's, not the answer's.
pub fn without_fixture_wiring(text: &str) -> String {
    let mut out = String::new();
    let mut attribute: Vec<&str> = Vec::new();
    for line in text.lines() {
        if attribute.is_empty() && !line.trim_start().starts_with("#[cfg_attr(") {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        // A `cfg_attr` may span lines (rustfmt splits long ones): read it whole first.
        attribute.push(line);
        if line.trim_end().ends_with(")]") {
            let whole = attribute.join("\n");
            let wiring = whole.contains("feature = \"mistake-") || whole.contains("feature = \"alternative-");
            if !wiring {
                out.push_str(&whole);
                out.push('\n');
            }
            attribute.clear();
        }
    }
    out.push_str(&attribute.join("\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_wiring_is_left_out_even_over_several_lines() {
        let lib = "#[cfg_attr(\n    feature = \"mistake-x\",\n    path = \"../mistakes/x/a.rs\"\n)]\n#[cfg_attr(feature = \"alternative-y\", path = \"../alternatives/y/a.rs\")]\nmod a;\n#[cfg_attr(test, derive(Debug))]\nstruct B;\n";
        assert_eq!(without_fixture_wiring(lib), "mod a;\n#[cfg_attr(test, derive(Debug))]\nstruct B;\n");
    }
}
