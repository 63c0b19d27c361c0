//! What the runner's CLI tests share: the built runner, and a scratch copy of the
//! fixture course (a git repository, as a learner's clone is).

#![allow(dead_code)] // each test file uses its own part of this module

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::sync::OnceLock;

use assert_cmd::Command;

/// The workspace root of the course project.
pub fn project_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The runner binary, built once per test process with the cargo that runs the tests.
pub fn runner_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = StdCommand::new(cargo)
            .current_dir(project_root())
            .args(["build", "--quiet", "--package", "xtask"])
            .status()
            .expect("cargo could not be started to build the runner");
        assert!(status.success(), "building the runner failed");
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| project_root().join("target"));
        target.join("debug").join("xtask")
    })
}

/// A scratch copy of `tests/fixtures/course`, committed to a fresh git repository.
pub struct FixtureCourse {
    pub dir: tempfile::TempDir,
}

impl FixtureCourse {
    pub fn new() -> FixtureCourse {
        let dir = tempfile::Builder::new().prefix("course-fixture-").tempdir().expect("a scratch folder");
        copy_dir(&project_root().join("tests/fixtures/course"), dir.path());
        for args in [
            &["init", "--quiet", "--initial-branch=main"][..],
            &["add", "--all"],
            &["-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "--quiet", "-m", "course"],
        ] {
            let ok = StdCommand::new("git").current_dir(dir.path()).args(args).status().expect("git runs").success();
            assert!(ok, "git {args:?} failed in the fixture course");
        }
        FixtureCourse { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `cargo xtask ARGS` against this course, without colour, for assert_cmd.
    pub fn xtask(&self, args: &[&str]) -> Command {
        Command::from_std(self.xtask_std(args))
    }

    /// The same, as a plain `std::process::Command`, for tests that drive a running runner.
    pub fn xtask_std(&self, args: &[&str]) -> StdCommand {
        let mut cmd = StdCommand::new(runner_binary());
        cmd.args(args)
            .current_dir(self.path())
            .env("COURSE_ROOT", self.path())
            // Each copy builds in its own target/: cargo fingerprints a workspace member the
            // same in every copy, so a shared folder would run another copy's build.
            .env_remove("CARGO_TARGET_DIR")
            .env("NO_COLOR", "1")
            .env_remove("RUST_BACKTRACE");
        cmd
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("creating folders");
        std::fs::write(path, text).unwrap_or_else(|e| panic!("writing {rel}: {e}"));
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("creating a folder");
    for entry in std::fs::read_dir(from).expect("reading the fixture") {
        let entry = entry.expect("a fixture entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copying a fixture file");
        }
    }
}

/// Output with the parts that vary between runs redacted, for snapshots.
pub fn redact(text: &str, course: &Path) -> String {
    let text = text.replace(&course.display().to_string(), "[course]");
    let seconds = regex_lite_seconds(&text);
    let seconds: String = seconds
        .lines()
        .map(|l| match l.find(" (checks ") {
            Some(at) => format!("{} (checks [time], build and runner [time])", &l[..at]),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    seconds
        .lines()
        .filter(|l| !l.trim_start().starts_with("Compiling ") && !l.trim_start().starts_with("Blocking waiting"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `(1.2 s)` and `checks 1.2 s, build and runner 0.3 s)` → `[time]`; `:12:5` line numbers stay.
fn regex_lite_seconds(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(" s)") {
        let (before, after) = rest.split_at(at);
        match before.rfind('(') {
            Some(open) if before[open + 1..].chars().all(|c| c.is_ascii_digit() || c == '.') => {
                out.push_str(&before[..=open]);
                out.push_str("[time])");
            }
            _ => {
                out.push_str(before);
                out.push_str(" s)");
            }
        }
        rest = &after[3..];
    }
    out.push_str(rest);
    out
}

/// Every page of the book (`src/**/*.md`, sub-pages of a chapter included), as
/// `(path relative to src/, text)`, sorted.
pub fn book_pages() -> Vec<(String, String)> {
    fn walk(dir: &Path, src: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, src, out);
            } else if path.extension().is_some_and(|x| x == "md") {
                let rel = path.strip_prefix(src).unwrap_or(&path).to_string_lossy().into_owned();
                out.push((rel, std::fs::read_to_string(&path).expect("a page is readable")));
            }
        }
    }
    let src = project_root().join("src");
    let mut pages = Vec::new();
    walk(&src, &src, &mut pages);
    pages.sort();
    pages
}
