//! What one check's run means. A check is one libtest test run alone in its own
//! process; this module reads its exit status and output and names the outcome in
//! the words COURSE.md uses.

use std::fs;
use std::path::Path;
use std::time::Duration;

use crate::protocol::INCONCLUSIVE;
use crate::watchdog::Finished;

/// What a verdict counts as. Every tally, colour, JSON status and proof in `verify`
/// decides on this (or on the verdict itself), exhaustively: a new verdict kind is one
/// arm of [`Verdict::class`] and the compiler points at every other decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// The check ran and held.
    Pass,
    /// The learner's code is not right yet (or not there yet).
    Fail,
    /// The check could not measure; never counted as passed, nor as the learner's failure.
    NotMeasured,
}

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The check ran and its assertions held.
    Passed,
    /// An assertion failed; the message says expected, got, where to look.
    Failed { message: String },
    /// The learner's code hit a `todo!()`.
    NotImplemented {
        function: String,
        location: String,
        note: Option<String>,
    },
    /// The watchdog killed the check's process group at the limit.
    TimedOut { limit: Duration },
    /// A timing check could not get what it needs from the machine right now.
    Inconclusive { message: String },
}

impl Verdict {
    /// The verdict's name as printed in the check's line.
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::Failed { .. } => "failed",
            Verdict::NotImplemented { .. } => "not implemented yet",
            Verdict::TimedOut { .. } => "timed out",
            Verdict::Inconclusive { .. } => "inconclusive",
        }
    }

    /// What the verdict counts as.
    pub fn class(&self) -> Class {
        match self {
            Verdict::Passed => Class::Pass,
            Verdict::Failed { .. } | Verdict::NotImplemented { .. } | Verdict::TimedOut { .. } => Class::Fail,
            Verdict::Inconclusive { .. } => Class::NotMeasured,
        }
    }

    /// Only a pass counts as a pass; inconclusive is never one.
    pub fn passed(&self) -> bool {
        self.class() == Class::Pass
    }

    /// The sentence under the check's line explaining the verdict.
    pub fn explanation(&self, check: &str) -> Option<String> {
        match self {
            Verdict::Passed => None,
            Verdict::Failed { message } => Some(message.clone()),
            Verdict::NotImplemented {
                function,
                location,
                note,
            } => Some(match note {
                Some(note) => format!("not implemented yet: {function} ({location}): {note}"),
                None => format!("not implemented yet: {function} ({location})"),
            }),
            Verdict::TimedOut { limit } => Some(format!(
                "still running after {} s, so its processes were killed: likely a deadlock or an endless loop in {check}",
                limit.as_secs()
            )),
            Verdict::Inconclusive { message } => Some(format!(
                "{message} (not counted as passed; run the check again when the machine is quieter)"
            )),
        }
    }
}

/// A panic found in a check's stderr.
#[derive(Debug, Clone, PartialEq)]
struct Panic {
    thread: String,
    location: String,
    message: String,
}

/// What went wrong in a program the runner ran that is not a check (the `trace`
/// example): a `todo!()` named by its function, else the first panic, else the exit.
pub fn problem_of(done: &Finished, root: &Path, package_dir: &Path) -> String {
    let panics = panics(&done.stderr);
    if let Some(p) = panics
        .iter()
        .find(|p| p.message.starts_with("not yet implemented"))
    {
        let function =
            enclosing_function(&p.location, root, package_dir).unwrap_or_else(|| "a stub".into());
        return format!("not implemented yet: {function} ({})", p.location);
    }
    match panics.first() {
        Some(p) => format!(
            "thread '{}' panicked at {}: {}",
            p.thread, p.location, p.message
        ),
        None => died_without_panic(done),
    }
}

/// Reads the verdict of one check from its finished process. `root` resolves the
/// file names in panic locations to find the unimplemented function.
pub fn read_verdict(
    check: &str,
    done: &Finished,
    limit: Duration,
    root: &Path,
    package_dir: &Path,
) -> Verdict {
    if done.timed_out {
        return Verdict::TimedOut { limit };
    }
    // With --nocapture a check's own prints can split libtest's `test NAME ... ok` line,
    // so the pass is read from the exit status and the summary: exactly one test ran.
    let success = done.status.is_some_and(|s| s.success());
    if success
        && done
            .stdout
            .lines()
            .any(|l| l.starts_with("test result: ok. 1 passed;"))
    {
        return Verdict::Passed;
    }
    let panics = panics(&done.stderr);
    if let Some(p) = panics
        .iter()
        .find(|p| p.message.starts_with("not yet implemented"))
    {
        let note = p
            .message
            .strip_prefix("not yet implemented")
            .map(|rest| rest.trim_start_matches(':').trim())
            .filter(|rest| !rest.is_empty())
            .map(str::to_string);
        return Verdict::NotImplemented {
            function: enclosing_function(&p.location, root, package_dir)
                .unwrap_or_else(|| "a stub".into()),
            location: p.location.clone(),
            note,
        };
    }
    if let Some(p) = panics
        .iter()
        .find(|p| p.message.starts_with(INCONCLUSIVE))
    {
        let message = p
            .message
            .trim_start_matches(INCONCLUSIVE)
            .trim()
            .to_string();
        return Verdict::Inconclusive { message };
    }
    // The check's own thread speaks for the check; a worker's panic explains a join error.
    let main = panics.iter().find(|p| p.thread == check);
    let message = match (main, panics.first()) {
        // `thread::scope` re-panics with "a scoped thread panicked" and a join's
        // `expect` prints `Any { .. }`: neither says what went wrong, the first panic does.
        (Some(main), Some(first)) if first != main && says_only_that_a_thread_panicked(&main.message) => {
            format!(
                "{}\n(panicked in thread '{}' at {}; the check then reported: {})",
                first.message, first.thread, first.location, main.message
            )
        }
        (Some(main), _) if main.message.starts_with("snapshot assertion for") => snapshot_message(&main.message, done),
        (Some(main), _) => main.message.clone(),
        (None, Some(first)) => format!(
            "thread '{}' panicked at {}: {}",
            first.thread, first.location, first.message
        ),
        (None, None) => died_without_panic(done),
    };
    Verdict::Failed { message }
}

/// insta's "snapshot assertion for 'table' failed in line 557" names a line of the
/// checks file, which a learner does not open; the difference it printed says more.
fn snapshot_message(panic: &str, done: &Finished) -> String {
    const SHOWN: usize = 24;
    let snapshot = panic.split('\'').nth(1).unwrap_or("the expected text");
    let mut lines = Vec::new();
    for line in done.stdout.lines().chain(done.stderr.lines()) {
        // insta's diff rows: `  12   12 │ same`, `     13 │+added`, `  13      │-removed`.
        let Some((_, row)) = line.split_once('│') else { continue };
        if let Some(expected) = row.strip_prefix('-') {
            lines.push(format!("- {expected}"));
        } else if let Some(got) = row.strip_prefix('+') {
            lines.push(format!("+ {got}"));
        }
    }
    let mut message = format!(
        "the text differs from the expected `{snapshot}` (the snapshot, measured numbers hidden): \
         `-` lines are expected, `+` lines are what your code produced"
    );
    if lines.is_empty() {
        message.push_str(&format!(" ({panic})"));
    }
    for line in lines.iter().take(SHOWN) {
        message.push('\n');
        message.push_str(line);
    }
    if lines.len() > SHOWN {
        message.push_str(&format!("\n… and {} more differing lines", lines.len() - SHOWN));
    }
    message
}

/// A panic message that only reports another thread's panic.
fn says_only_that_a_thread_panicked(message: &str) -> bool {
    message.contains("a scoped thread panicked") || message.contains("Any {")
}

fn died_without_panic(done: &Finished) -> String {
    use std::os::unix::process::ExitStatusExt;
    match done.status.and_then(|s| s.signal()) {
        Some(libc::SIGABRT) => "the check's process aborted (SIGABRT): a panic while panicking, a failed allocation, or a stack overflow".into(),
        Some(libc::SIGSEGV) => "the check's process crashed (SIGSEGV): a stack overflow or invalid memory access".into(),
        Some(sig) => format!("the check's process was killed by signal {sig}"),
        None => {
            let tail: Vec<&str> = done.stderr.lines().rev().take(5).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            format!(
                "the check's process exited with {} without a pass{}",
                done.status.and_then(|s| s.code()).map_or("no code".into(), |c| format!("code {c}")),
                if tail.is_empty() { String::new() } else { format!(":\n{}", tail.join("\n")) }
            )
        }
    }
}

/// Every `thread '…' panicked at file:line:col:` block in the output, with its message.
fn panics(stderr: &str) -> Vec<Panic> {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some((thread, rest)) = parse_panic_header(line) {
            // Since Rust 1.73 the message is on the lines after `panicked at loc:`.
            let location = rest.trim_end_matches(':').to_string();
            let mut message = Vec::new();
            i += 1;
            while i < lines.len() {
                let l = lines[i];
                if l.starts_with("note: run with `RUST_BACKTRACE")
                    || l.starts_with("stack backtrace:")
                    || parse_panic_header(l).is_some()
                {
                    break;
                }
                message.push(l);
                i += 1;
            }
            while message.last().is_some_and(|l| l.trim().is_empty()) {
                message.pop();
            }
            found.push(Panic {
                thread,
                location,
                message: message.join("\n"),
            });
        } else {
            i += 1;
        }
    }
    found
}

fn parse_panic_header(line: &str) -> Option<(String, &str)> {
    let rest = line.strip_prefix("thread '")?;
    let (thread, rest) = rest.split_once('\'')?;
    let rest = rest.trim_start();
    // `thread 'name' (1234) panicked at …` in newer toolchains carries the OS id.
    let rest = match rest.strip_prefix('(') {
        Some(r) => r.split_once(')')?.1.trim_start(),
        None => rest,
    };
    let location = rest.strip_prefix("panicked at ")?;
    Some((thread.to_string(), location))
}

/// The name of the `fn` whose body holds `file:line:col`.
fn enclosing_function(location: &str, root: &Path, package_dir: &Path) -> Option<String> {
    let mut parts = location.rsplitn(3, ':');
    let _col = parts.next()?;
    let line: usize = parts.next()?.parse().ok()?;
    let file = parts.next()?;
    let text = [root.join(file), package_dir.join(file)]
        .iter()
        .find_map(|p| fs::read_to_string(p).ok())?;
    text.lines()
        .take(line)
        .collect::<Vec<_>>()
        .iter()
        .rev()
        .find_map(|l| function_name(l))
}

fn function_name(line: &str) -> Option<String> {
    let code = line.split("//").next()?;
    let at = code.find("fn ")?;
    // `fn` must stand alone: `pub fn x`, `fn x`, `async fn x`, not `spawn x`.
    if at > 0 && code.as_bytes()[at - 1].is_ascii_alphanumeric() {
        return None;
    }
    let name: String = code[at + 3..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finished(code: i32, stdout: &str, stderr: &str) -> Finished {
        use std::os::unix::process::ExitStatusExt;
        Finished {
            status: Some(std::process::ExitStatus::from_raw(code << 8)),
            stdout: stdout.into(),
            stdout_bytes: stdout.as_bytes().to_vec(),
            stderr: stderr.into(),
            timed_out: false,
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn a_passing_run_is_passed() {
        let done = finished(
            0,
            "running 1 test\ntest the_check ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 3 filtered out; finished in 0.00s\n",
            "",
        );
        assert_eq!(
            read_verdict(
                "the_check",
                &done,
                Duration::ZERO,
                Path::new("."),
                Path::new(".")
            ),
            Verdict::Passed
        );
    }

    #[test]
    fn a_check_that_prints_still_passes() {
        let stdout = "running 1 test\ntest the_check ... report: 2 threads 1.0 s\nok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.00s\n";
        assert_eq!(
            read_verdict(
                "the_check",
                &finished(0, stdout, ""),
                Duration::ZERO,
                Path::new("."),
                Path::new(".")
            ),
            Verdict::Passed
        );
    }

    #[test]
    fn a_filter_that_matched_nothing_is_not_a_pass() {
        let stdout = "running 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 4 filtered out; finished in 0.00s\n";
        assert_ne!(
            read_verdict(
                "gone",
                &finished(0, stdout, ""),
                Duration::ZERO,
                Path::new("."),
                Path::new(".")
            ),
            Verdict::Passed
        );
    }

    #[test]
    fn a_todo_panic_names_the_function() {
        let dir = tempfile_dir();
        fs::write(
            dir.join("lib.rs"),
            "pub fn answer() -> u32 {\n    // TODO\n    todo!()\n}\n",
        )
        .unwrap();
        let stderr = "\nthread 'the_check' panicked at lib.rs:3:5:\nnot yet implemented\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        let v = read_verdict(
            "the_check",
            &finished(101, "test the_check ... FAILED", stderr),
            Duration::ZERO,
            &dir,
            &dir,
        );
        assert_eq!(
            v,
            Verdict::NotImplemented {
                function: "answer".into(),
                location: "lib.rs:3:5".into(),
                note: None
            }
        );
    }

    #[test]
    fn an_assertion_message_is_kept_whole() {
        let stderr = "thread 'the_check' panicked at tests/checks.rs:9:5:\nexpected 42\ngot 41\nnote: run with `RUST_BACKTRACE=1`\n";
        let v = read_verdict(
            "the_check",
            &finished(101, "", stderr),
            Duration::ZERO,
            Path::new("."),
            Path::new("."),
        );
        assert_eq!(
            v,
            Verdict::Failed {
                message: "expected 42\ngot 41".into()
            }
        );
    }

    #[test]
    fn an_inconclusive_marker_is_never_a_pass() {
        let stderr = format!("thread 'speed' panicked at crates/timing/src/lib.rs:1:1:\n{INCONCLUSIVE} needs 2 free cores, found 1.1\n");
        let v = read_verdict(
            "speed",
            &finished(101, "", &stderr),
            Duration::ZERO,
            Path::new("."),
            Path::new("."),
        );
        assert_eq!(
            v,
            Verdict::Inconclusive {
                message: "needs 2 free cores, found 1.1".into()
            }
        );
        assert!(!v.passed());
    }

    #[test]
    fn a_panic_in_a_scoped_thread_shows_its_own_message_first() {
        let stderr = "thread '<unnamed>' panicked at src/lib.rs:7:9:\nindex out of bounds: the len is 3 but the index is 3\n\
thread 'the_check' panicked at tests/checks.rs:20:5:\na scoped thread panicked\n";
        let Verdict::Failed { message } = read_verdict(
            "the_check",
            &finished(101, "", stderr),
            Duration::ZERO,
            Path::new("."),
            Path::new("."),
        ) else {
            panic!("expected a failure")
        };
        assert!(message.starts_with("index out of bounds"), "{message}");
        assert!(message.contains("src/lib.rs:7:9"), "{message}");
    }

    #[test]
    fn a_snapshot_failure_shows_the_difference_not_a_line_of_the_checks() {
        let stdout = "-old snapshot\n+new results\n────────────┬──────\n    1     1 │ | a | b |\n    2       │-| one | two |\n          2 │+| one | three |\n────────────┴──────\n";
        let stderr = "thread 'the_table' panicked at insta/src/runtime.rs:734:13:\nsnapshot assertion for 'table' failed in line 557\n";
        let Verdict::Failed { message } =
            read_verdict("the_table", &finished(101, stdout, stderr), Duration::ZERO, Path::new("."), Path::new("."))
        else {
            panic!("expected a failure")
        };
        assert!(message.contains("differs from the expected `table`"), "{message}");
        assert!(message.contains("\n- | one | two |\n+ | one | three |"), "{message}");
        assert!(!message.contains("line 557"), "{message}");
    }

    #[test]
    fn panic_headers_with_thread_ids_are_read() {
        let p = panics("thread 'w' (4242) panicked at src/lib.rs:1:2:\nboom\n");
        assert_eq!(
            p,
            vec![Panic {
                thread: "w".into(),
                location: "src/lib.rs:1:2".into(),
                message: "boom".into()
            }]
        );
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("verdict-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }
}
