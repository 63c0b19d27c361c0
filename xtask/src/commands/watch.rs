//! `cargo xtask watch`: re-checks an exercise whenever one of its files is saved.
//! The checks run under the same watchdog as `check`, so a compile error or a hang
//! is reported and watching goes on. `q` (then Enter) or Ctrl-C quits.

use std::collections::BTreeSet;
use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use notify::{RecursiveMode, Watcher};

use course::{Course, Exercise, Progress};

use super::check;
use crate::Done;
use crate::learner::{current, load_progress};
use crate::terminal::bold;

/// Editors save in bursts (a temporary file, a rename, a metadata change): wait this
/// long after the last event before checking, so one save gives one check.
const DEBOUNCE: Duration = Duration::from_millis(300);

enum Input {
    Changed(PathBuf),
    Quit,
}

pub fn run(course: &Course) -> Result<Done> {
    let terminal = std::io::stdout().is_terminal();
    let (tx, rx) = mpsc::channel();

    let exercises_dir = course.root.join("exercises");
    let watch_tx = tx.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            // The build itself reads these files; only a write, rename or removal is a save.
            if !is_save(&event.kind) {
                return;
            }
            for path in event.paths {
                if is_learner_file(&path) {
                    let _ = watch_tx.send(Input::Changed(path));
                }
            }
        }
    })
    .context("starting the file watcher")?;
    watcher
        .watch(&exercises_dir, RecursiveMode::Recursive)
        .with_context(|| format!("watching {}", exercises_dir.display()))?;

    // `q` quits. Without a terminal stdin may be closed at once; that is no reason to stop.
    let quit_tx = tx;
    thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            match line {
                Ok(l) if l.trim().eq_ignore_ascii_case("q") => {
                    let _ = quit_tx.send(Input::Quit);
                    return;
                }
                Ok(_) => {}
                Err(_) => return,
            }
        }
    });

    let mut progress = load_progress(course)?;
    let mut target =
        current(course, &progress).unwrap_or_else(|| &course.exercises[course.exercises.len() - 1]);
    check_one(course, &mut progress, target, None, terminal)?;
    if progress.passes(target)
        && let Some(next) = current(course, &progress) {
            target = next;
        }
    loop {
        match rx.recv() {
            Ok(Input::Quit) | Err(_) => break,
            Ok(Input::Changed(first)) => {
                let mut changed = BTreeSet::from([first]);
                // Collect the rest of the burst.
                loop {
                    match rx.recv_timeout(DEBOUNCE) {
                        Ok(Input::Changed(p)) => {
                            changed.insert(p);
                        }
                        Ok(Input::Quit) => return Ok(Done::Passed),
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return Ok(Done::Passed),
                    }
                }
                // Check the exercise whose file was saved; else stay on the current one.
                if let Some(ex) = changed.iter().find_map(|p| exercise_of(course, p)) {
                    target = ex;
                }
                let names: Vec<String> = changed
                    .iter()
                    .map(|p| {
                        p.strip_prefix(&course.root)
                            .unwrap_or(p)
                            .display()
                            .to_string()
                    })
                    .collect();
                check_one(
                    course,
                    &mut progress,
                    target,
                    Some(&names.join(", ")),
                    terminal,
                )?;
                // A pass moves the learner on: the next save of any exercise is checked too.
                if progress.passes(target)
                    && let Some(next) = current(course, &progress) {
                        target = next;
                    }
            }
        }
    }
    println!("stopped watching.");
    Ok(Done::Passed)
}

fn check_one(
    course: &Course,
    progress: &mut Progress,
    ex: &Exercise,
    changed: Option<&str>,
    terminal: bool,
) -> Result<()> {
    if terminal {
        // A fresh screen per run, so the verdicts on it are the current ones.
        print!("\x1b[2J\x1b[H");
    }
    match changed {
        Some(files) => println!("{}", bold(&format!("changed: {files}"))),
        None => println!(
            "{}",
            bold(&format!(
                "watching exercises/ · checking {} on every save",
                ex.slug
            ))
        ),
    }
    check::check_and_report(course, progress, vec![ex], None)?;
    println!("watching for changes; q then Enter (or Ctrl-C) quits");
    Ok(())
}

fn is_save(kind: &notify::EventKind) -> bool {
    use notify::EventKind::{Create, Modify, Remove};
    use notify::event::ModifyKind;
    matches!(
        kind,
        Create(_) | Remove(_) | Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
    )
}

/// Sources and manifests under `exercises/NN-slug/`, not build output or editor swap files.
fn is_learner_file(path: &Path) -> bool {
    let in_target = path.components().any(|c| c.as_os_str() == "target");
    let wanted = path.extension().is_some_and(|e| e == "rs" || e == "toml");
    wanted && !in_target
}

fn exercise_of<'c>(course: &'c Course, path: &Path) -> Option<&'c Exercise> {
    let rel = path.strip_prefix(course.root.join("exercises")).ok()?;
    let slug = rel.components().next()?.as_os_str().to_str()?;
    course.exercises.iter().find(|e| e.slug == slug)
}
