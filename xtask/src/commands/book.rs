//! `cargo xtask book [--open]`: the HTML book, built by `xtask/book` with the mdBook
//! library, so a learner's first `check` does not compile a book renderer.

use std::process::Command;

use anyhow::Result;
use course::watchdog;
use course::{Course, UserError};

use crate::{Done, cargo};

pub fn run(course: &Course, open: bool) -> Result<Done> {
    build(course)?;
    if open {
        let index = course.root.join("book").join("index.html");
        // The browser outlives the runner, so the opener is started detached.
        let opened = ["xdg-open", "open"].into_iter().any(|opener| {
            let mut cmd = Command::new(opener);
            cmd.arg(&index);
            watchdog::start_detached(cmd)
        });
        if !opened {
            println!("no browser opener found here; open {} in a browser", index.display());
        }
    }
    Ok(Done::Passed)
}

/// Builds the book into `./book`; an error when it does not build.
pub fn build(course: &Course) -> Result<()> {
    let dest = course.root.join("book").to_string_lossy().into_owned();
    let root = course.root.to_string_lossy().into_owned();
    let args = ["run", "--quiet", "--package", "xtask-book", "--", "--root", &root, "--dest", &dest];
    if !cargo::passthrough(course, &args)? {
        return Err(UserError::new("the book did not build; the messages above say why").into());
    }
    Ok(())
}
