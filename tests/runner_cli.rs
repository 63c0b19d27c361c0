//! The runner as a learner meets it: `cargo xtask` over a small fixture course with
//! one exercise per verdict (passing, failing, not compiling, hanging, `todo!()`,
//! inconclusive).

mod support;

use std::time::{Duration, Instant};

use predicates::prelude::*;
use support::{FixtureCourse, redact};

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_passing_exercise_exits_0_and_is_recorded_as_passed() {
    let course = FixtureCourse::new();
    course
        .xtask(&["check", "01"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("✔ passed"))
        .stdout(predicate::str::contains("adds two numbers"));
    assert!(course.read(".course/progress").contains("passed 01-passing"));
}

#[test]
fn a_failing_check_says_expected_and_got_and_exits_1() {
    let course = FixtureCourse::new();
    let out = course.xtask(&["check", "failing"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(redact(&stdout_of(&out), course.path()));
}

#[test]
fn code_that_does_not_compile_shows_cargos_own_diagnostics() {
    let course = FixtureCourse::new();
    course
        .xtask(&["check", "03"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("does not compile"))
        // cargo's message, unedited, on stderr
        .stderr(predicate::str::contains("error[E0277]"))
        .stderr(predicate::str::contains("exercises/03-not-compiling/src/lib.rs"));
}

#[test]
fn a_todo_reads_as_not_implemented_yet_with_the_function_name() {
    let course = FixtureCourse::new();
    course
        .xtask(&["check", "05-todo"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "not implemented yet: double (exercises/05-todo/src/lib.rs:4:5)",
        ));
}

#[test]
fn a_hanging_check_is_killed_at_its_limit_with_everything_it_started() {
    let course = FixtureCourse::new();
    let marker = format!("fixture-marker-{}", std::process::id());
    let out = course.xtask(&["check", "04"]).env("FIXTURE_MARKER", &marker).output().unwrap();
    let text = stdout_of(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("likely a deadlock or an endless loop in returns_eventually"), "{text}");
    // The check's own time (build excluded) is printed on its line: "timed out ... (2.0 s)".
    let line = text.lines().find(|l| l.contains("timed out")).unwrap_or_else(|| panic!("{text}"));
    let secs: f64 = line
        .rsplit_once('(')
        .and_then(|(_, t)| t.strip_suffix(" s)"))
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no duration on: {line}"));
    // The fixture's limit is 2 s; the design allows the limit plus 2 seconds.
    assert!((2.0..=4.0).contains(&secs), "timed out after {secs} s, expected 2 to 4 s: {line}");
    assert_no_process_with(&marker);
}

#[test]
fn an_interrupted_runner_leaves_no_process_behind() {
    let course = FixtureCourse::new();
    let marker = format!("interrupt-marker-{}", std::process::id());
    // Build first, so the interrupt lands while the hanging check runs.
    course.xtask(&["check", "01"]).assert().code(0);
    let mut cmd = course.xtask_std(&["check", "04"]);
    cmd.env("FIXTURE_MARKER", &marker)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    wait_for_process_with(&marker, Duration::from_secs(60));
    // SAFETY: sends SIGINT to the runner we started, as Ctrl-C would.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130));
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
    assert_no_process_with(&marker);
}

#[test]
fn an_inconclusive_timing_check_is_not_counted_as_passed() {
    let course = FixtureCourse::new();
    course
        .xtask(&["check", "06"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("? inconclusive"))
        .stdout(predicate::str::contains("1 inconclusive"))
        .stdout(predicate::str::contains("not counted as passed"));
    assert!(!course.read(".course/progress").contains("passed 06-inconclusive"));
}

#[test]
fn an_unknown_exercise_exits_2_with_the_nearest_names() {
    let course = FixtureCourse::new();
    course
        .xtask(&["check", "fialing"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no exercise named \"fialing\"; did you mean \"02-failing\""))
        .stderr(predicate::str::contains("cargo xtask list"))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn a_corrupt_progress_file_is_rebuilt_not_fatal() {
    let course = FixtureCourse::new();
    course.write(".course/progress", "\u{0}\u{1} this is not a progress file\npassed ../../etc\n");
    course
        .xtask(&["check", "01"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("could not be read; it is rebuilt"));
    assert!(course.read(".course/progress").contains("passed 01-passing"));
}

#[test]
fn check_without_names_checks_the_current_exercise_and_those_before() {
    let course = FixtureCourse::new();
    // A fresh course: 01 is current, passes, and the runner names the next one.
    let first = course.xtask(&["check"]).output().unwrap();
    let text = stdout_of(&first);
    assert_eq!(first.status.code(), Some(0), "{text}");
    assert!(text.contains("Next: 02-failing"), "{text}");
    // Now 02 is current: 01 and 02 are checked, 03 and later are not.
    let second = course.xtask(&["check"]).output().unwrap();
    let text = stdout_of(&second);
    assert_eq!(second.status.code(), Some(1), "{text}");
    assert!(text.contains("01-passing ·"), "{text}");
    assert!(text.contains("02-failing ·"), "{text}");
    assert!(!text.contains("03-not-compiling ·"), "{text}");
}

#[test]
fn a_long_run_says_how_far_along_it_is_and_fits_80_columns() {
    let course = FixtureCourse::new();
    let out = course.xtask(&["check", "01", "02", "05"]).output().unwrap();
    let text = stdout_of(&out);
    assert!(text.contains("01-passing · Fixture: passing  [1/3]"), "{text}");
    assert!(text.contains("05-todo · Fixture: todo  [3/3]"), "{text}");
    let wide: Vec<&str> = text.lines().filter(|l| l.chars().count() > 80).collect();
    // Learner-written assertion text may be long; the runner's own lines must not be.
    assert!(wide.iter().all(|l| l.starts_with("      ")), "lines over 80 columns: {wide:#?}");
}

#[test]
fn json_results_follow_exercisms_test_runner_format_version_2() {
    let course = FixtureCourse::new();
    let json = course.path().join("results.json");
    course.xtask(&["check", "01", "02", "05", "--json", json.to_str().unwrap()]).assert().code(1);
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["version"], 2);
    assert_eq!(v["status"], "fail");
    let tests = v["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 3);
    assert_eq!(tests[0]["name"], "01-passing / adds_two_numbers");
    assert_eq!(tests[0]["status"], "pass");
    assert_eq!(tests[1]["status"], "fail");
    assert!(tests[1]["message"].as_str().unwrap().contains("got 5"));
    assert_eq!(tests[2]["status"], "fail");
    assert!(tests[2]["message"].as_str().unwrap().contains("not implemented yet: double"));
}

#[test]
fn json_reports_code_that_does_not_compile_as_an_error() {
    let course = FixtureCourse::new();
    let json = course.path().join("results.json");
    course.xtask(&["check", "03", "--json", json.to_str().unwrap()]).assert().code(1);
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["status"], "error");
    assert!(v["message"].as_str().unwrap().contains("does not compile"));
}

#[test]
fn reset_backs_up_the_learners_files_and_restores_the_stub() {
    let course = FixtureCourse::new();
    let stub = course.read("exercises/05-todo/src/lib.rs");
    course.write("exercises/05-todo/src/lib.rs", "pub fn double(n: u32) -> u32 { n + n } // mine\n");
    course.write("exercises/05-todo/src/extra.rs", "// a module of mine\n");
    let out = course.xtask(&["reset", "05"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout_of(&out);
    let backup = text
        .lines()
        .find_map(|l| l.strip_prefix("Backed up your 2 file(s) to "))
        .unwrap_or_else(|| panic!("no backup path in: {text}"));
    let backup = std::path::Path::new(backup.trim());
    assert!(backup.starts_with(course.path().join(".course/backups")));
    assert!(std::fs::read_to_string(backup.join("exercises/05-todo/src/lib.rs")).unwrap().contains("// mine"));
    assert!(backup.join("exercises/05-todo/src/extra.rs").is_file());
    assert_eq!(course.read("exercises/05-todo/src/lib.rs"), stub);
    assert!(!course.path().join("exercises/05-todo/src/extra.rs").exists());
}

#[test]
fn a_second_reset_never_overwrites_the_first_backup() {
    let course = FixtureCourse::new();
    course.write("exercises/05-todo/src/lib.rs", "// first attempt\n");
    course.xtask(&["reset", "05"]).assert().code(0);
    course.write("exercises/05-todo/src/lib.rs", "// second attempt\n");
    course.xtask(&["reset", "05"]).assert().code(0);
    let backups: Vec<_> = std::fs::read_dir(course.path().join(".course/backups")).unwrap().collect();
    assert_eq!(backups.len(), 2);
}

#[test]
fn the_solution_stays_hidden_until_the_exercise_passes() {
    let course = FixtureCourse::new();
    let hidden = course.xtask(&["solution", "05"]).output().unwrap();
    let text = stdout_of(&hidden);
    assert_eq!(hidden.status.code(), Some(1));
    assert!(text.contains("has not passed yet") && !text.contains("n * 2"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 80), "a line over 80 columns:\n{text}");
    course
        .xtask(&["solution", "05", "--show-anyway"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("n * 2"));
    course.xtask(&["check", "01"]).assert().code(0);
    course.xtask(&["solution", "01"]).assert().code(0).stdout(predicate::str::contains("a + b"));
}

#[test]
fn hint_prints_the_exercises_hint() {
    let course = FixtureCourse::new();
    course.xtask(&["hint", "todo"]).assert().code(0).stdout(predicate::str::contains("A fixture hint for todo."));
}

#[test]
fn the_first_run_welcomes_the_learner_and_names_the_first_exercise() {
    let course = FixtureCourse::new();
    let out = course.xtask(&[]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout_of(&out);
    assert!(text.lines().all(|l| l.chars().count() <= 80), "a line over 80 columns:\n{text}");
    insta::assert_snapshot!(redact(&text, course.path()));
    // The second run only says where the learner stands.
    let again = stdout_of(&course.xtask(&[]).output().unwrap());
    assert!(!again.contains("Welcome"), "{again}");
    assert!(again.contains("0 of 7 exercises passed"), "{again}");
}

#[test]
fn list_marks_passed_and_current_exercises() {
    let course = FixtureCourse::new();
    course.xtask(&["check", "01"]).assert().code(0);
    let out = course.xtask(&["list"]).output().unwrap();
    insta::assert_snapshot!(redact(&stdout_of(&out), course.path()));
}

#[test]
fn a_pass_is_marked_stale_when_the_files_change_since() {
    let course = FixtureCourse::new();
    course.xtask(&["check", "01"]).assert().code(0);
    let lib = "exercises/01-passing/src/lib.rs";
    let passing = course.read(lib);
    course.write(lib, &passing.replace("a + b", "a + b + 0"));
    course.xtask(&["list"]).assert().code(0).stdout(predicate::str::contains("changed since it passed"));
    // `cargo xtask` names the changed exercise as the next step until it is checked again.
    course.xtask(&[]).assert().code(0).stdout(predicate::str::contains("Next: 01-passing"));
    course.write(lib, &passing);
    course.xtask(&["list"]).assert().code(0).stdout(predicate::str::contains("changed since").not());
}

#[test]
fn a_copied_course_checks_the_copy_not_the_folder_it_came_from() {
    let original = FixtureCourse::new();
    original.xtask(&["check", "01"]).assert().code(0);
    // A built course copied whole, target folder and all, as `cp -a` does.
    let copy = tempfile::Builder::new().prefix("course-copy-").tempdir().unwrap();
    let status = std::process::Command::new("cp")
        .arg("-a")
        .arg(format!("{}/.", original.path().display()))
        .arg(copy.path())
        .status()
        .unwrap();
    assert!(status.success(), "cp -a failed");
    let lib = copy.path().join("exercises/01-passing/src/lib.rs");
    std::fs::write(&lib, "pub fn add(a: u32, b: u32) -> u32 {\n    a + b + 1\n}\n").unwrap();
    // Run from inside the copy, with nothing pointing anywhere: the copy is found.
    let out = std::process::Command::new(support::runner_binary())
        .args(["check", "01"])
        .current_dir(copy.path().join("exercises"))
        .env_remove("COURSE_ROOT")
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("CARGO_TARGET_DIR")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = stdout_of(&out);
    assert_eq!(out.status.code(), Some(1), "the copy's broken exercise must fail:\n{text}");
    assert!(text.contains("expected 2 + 2 = 4"), "{text}");
    // The original still passes: the copy's edit never reached it.
    original.xtask(&["check", "01"]).assert().code(0);
}

#[test]
fn the_runner_says_which_course_it_works_on_when_run_from_elsewhere() {
    let course = FixtureCourse::new();
    let elsewhere = tempfile::tempdir().unwrap();
    course
        .xtask(&["list"])
        .current_dir(elsewhere.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains(format!("working on the course at {}", course.path().display())));
    // From inside the course, nothing to say.
    course.xtask(&["list"]).assert().code(0).stderr(predicate::str::contains("working on the course").not());
}

#[test]
fn verify_proves_both_directions_and_counts_them() {
    let course = FixtureCourse::new();
    course
        .xtask(&["verify", "05", "--skip-book"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("stub fails 1/1 checks · solution passes 1/1 checks"));
}

#[test]
fn verify_proves_each_mistake_fixture_is_caught_by_name() {
    let course = FixtureCourse::new();
    course
        .xtask(&["verify", "05", "--skip-book"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("mistake triples: fixture mistake triples"))
        .stdout(predicate::str::contains("1/1 mistakes caught by name"));
}

#[test]
fn verify_proves_every_alternative_passes_and_refuses_one_that_does_not() {
    let course = FixtureCourse::new();
    course
        .xtask(&["verify", "05", "--skip-book"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("alternative shifted: fixture alternative shifted"))
        .stdout(predicate::str::contains("1/1 alternatives pass"));
    course.write("solutions/05-todo/alternatives/shifted/double.rs", "pub fn double(n: u32) -> u32 {\n    n << 2\n}\n");
    course
        .xtask(&["verify", "05", "--skip-book"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("alternative shifted does not pass `doubles_a_number`"));
}

#[test]
fn verify_refuses_a_fixture_without_its_feature() {
    let course = FixtureCourse::new();
    let manifest = "solutions/05-todo/Cargo.toml";
    course.write(manifest, &course.read(manifest).replace("alternative-shifted = []\n", ""));
    course
        .xtask(&["verify", "05", "--skip-book"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("alternative shifted has no feature `alternative-shifted`"));
}

#[test]
fn verify_names_a_mistake_that_does_not_compile() {
    // verify builds every side ahead in one cargo run per wave; a wave that fails is built
    // again one side at a time, so the failure names its fixture.
    let course = FixtureCourse::new();
    course.write("solutions/05-todo/mistakes/triples/double.rs", "pub fn double(n: u32) -> u32 {\n    n * 3\n");
    course
        .xtask(&["verify", "05", "--skip-book"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("building 4 checks binaries ahead (1 chapter(s), 4 cargo runs)"))
        .stdout(predicate::str::contains("mistake triples does not compile"))
        .stdout(predicate::str::contains("alternative shifted: fixture alternative shifted"));
}

#[test]
fn verify_fails_when_the_checks_miss_a_mistake() {
    let course = FixtureCourse::new();
    course
        .xtask(&["verify", "01", "--skip-book"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("the checks miss mistake harmless: `adds_two_numbers` passes"));
}

#[test]
fn verify_fails_when_a_caught_mistake_is_not_named() {
    let course = FixtureCourse::new();
    let manifest = "solutions/05-todo/mistakes/triples/fixture.toml";
    course.write(manifest, &course.read(manifest).replace("left: 63", "you tripled it"));
    course
        .xtask(&["verify", "05", "--skip-book"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("does not name it: its message lacks \"you tripled it\""));
}

#[test]
fn verify_rejects_a_stub_that_passes_or_hangs() {
    let course = FixtureCourse::new();
    course
        .xtask(&["verify", "01", "04", "--skip-book"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("the stub passes `adds_two_numbers`: the check proves nothing"))
        .stdout(predicate::str::contains("the stub hangs in `returns_eventually`"));
}

#[test]
fn verify_proves_the_working_tree_and_names_edited_stubs() {
    let course = FixtureCourse::new();
    course.write("exercises/05-todo/src/lib.rs", "pub fn double(n: u32) -> u32 { n * 2 }\n");
    course
        .xtask(&["verify", "05", "--skip-book"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("differ from the last commit"))
        .stdout(predicate::str::contains("exercises/05-todo/src/lib.rs"))
        .stdout(predicate::str::contains("the stub passes `doubles_a_number`"));
}

#[test]
fn strict_grading_refuses_edited_checks_and_names_them() {
    let course = FixtureCourse::new();
    course.xtask(&["check", "01", "--strict"]).assert().code(0);
    let checks = "exercises/01-passing/tests/checks.rs";
    course.write(checks, &course.read(checks).replace("add(2, 2), 4", "add(2, 2), add(2, 2)"));
    course
        .xtask(&["check", "01", "--strict"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to grade"))
        .stderr(predicate::str::contains("exercises/01-passing/tests/checks.rs (edited)"));
    // Without --strict the learner may experiment freely.
    course.xtask(&["check", "01"]).assert().code(0);
}

#[test]
fn verify_requires_an_up_to_date_seal() {
    let course = FixtureCourse::new();
    let checks = "exercises/05-todo/tests/checks.rs";
    course.write(checks, &format!("{}\n// a maintainer's edit\n", course.read(checks)));
    course
        .xtask(&["verify", "05", "--skip-book"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("exercises/SEALED.sha256 is out of date"))
        .stdout(predicate::str::contains("cargo xtask seal"));
}

#[test]
fn trace_draws_the_learners_run_and_prints_where() {
    let course = FixtureCourse::new();
    course
        .xtask(&["trace", "01"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("wrote .course/traces/01-passing.svg"));
    assert!(course.read(".course/traces/01-passing.svg").contains("<title>4</title>"));
}

#[test]
fn trace_of_unfinished_code_names_the_missing_function() {
    let course = FixtureCourse::new();
    course
        .xtask(&["trace", "05"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("not implemented yet: double"))
        .stdout(predicate::str::contains("cargo xtask check 05"));
}

#[test]
fn trace_of_an_exercise_without_one_lists_those_that_have_one() {
    let course = FixtureCourse::new();
    course
        .xtask(&["trace", "02"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("02-failing has nothing to trace; exercises with a trace: 01-passing, 05-todo"));
}

/// Runs the runner on a pseudo-terminal (util-linux `script`), as a learner's shell does.
fn on_a_terminal(course: &FixtureCourse, no_color: bool) -> String {
    let runner = support::runner_binary().display().to_string();
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &format!("{runner} list"), "/dev/null"])
        .current_dir(course.path())
        .env("COURSE_ROOT", course.path())
        .env_remove("CARGO_TARGET_DIR");
    if no_color {
        cmd.env("NO_COLOR", "1");
    } else {
        cmd.env_remove("NO_COLOR");
    }
    let out = cmd.output().expect("script (util-linux) runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn colour_appears_on_a_terminal_unless_no_color_is_set() {
    let course = FixtureCourse::new();
    course.xtask(&["check", "01"]).assert().code(0);
    assert!(on_a_terminal(&course, false).contains("\u{1b}["), "no colour on a terminal");
    let plain = on_a_terminal(&course, true);
    assert!(plain.contains("01-passing") && !plain.contains("\u{1b}["), "NO_COLOR ignored: {plain:?}");
}

#[test]
fn bad_arguments_exit_2_with_a_sentence() {
    let course = FixtureCourse::new();
    course.xtask(&["check", "--no-such-flag"]).assert().code(2).stderr(predicate::str::contains("unexpected argument"));
    course.xtask(&["hint"]).assert().code(2);
}

fn pids_with(marker: &str) -> Vec<String> {
    let out = std::process::Command::new("pgrep").args(["-f", marker]).output().expect("pgrep runs");
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

fn assert_no_process_with(marker: &str) {
    // Killing is asynchronous; give the kernel a moment to reap.
    let deadline = Instant::now() + Duration::from_secs(2);
    while !pids_with(marker).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(pids_with(marker).is_empty(), "processes left behind: {:?}", pids_with(marker));
}

fn wait_for_process_with(marker: &str, limit: Duration) {
    let deadline = Instant::now() + limit;
    while pids_with(marker).is_empty() {
        assert!(Instant::now() < deadline, "the hanging check never started");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn check_shows_the_first_unfinished_step_and_names_the_later_ones() {
    let course = FixtureCourse::new();
    let out = course.xtask(&["check", "07"]).output().unwrap();
    let text = stdout_of(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("step 1 of 2: double · `double`, first"), "{text}");
    assert!(text.contains("not implemented yet: double"), "{text}");
    assert!(text.contains("next, once this step passes: halve (not checked yet)"), "{text}");
    assert!(!text.contains("halves a number"), "a later step's checks are not run yet:\n{text}");
    // With the first step done, the second is the one shown in full.
    let lib = "exercises/07-steps/src/lib.rs";
    course.write(lib, &course.read(lib).replace("    // TODO: twice n.\n    todo!()", "    n * 2"));
    let text = stdout_of(&course.xtask(&["check", "07"]).output().unwrap());
    assert!(text.contains("✔ passed               doubles a number"), "{text}");
    assert!(text.contains("step 2 of 2: halve"), "{text}");
    assert!(text.contains("not implemented yet: halve"), "{text}");
    course.xtask(&["list"]).assert().code(0).stdout(predicate::str::contains("(1 of 2 steps)"));
    // The hint follows the learner to the step they are on.
    course.xtask(&["hint", "07"]).assert().code(0).stdout(predicate::str::contains("step 2 of 2: halve"));
}

#[test]
fn hints_climb_one_rung_per_call_for_the_step_the_learner_is_on() {
    let course = FixtureCourse::new();
    let first = stdout_of(&course.xtask(&["hint", "07"]).output().unwrap());
    assert!(first.contains("step 1 of 2: double · hint 1 of 3: the idea"), "{first}");
    assert!(first.contains("fixture double idea") && !first.contains("fixture double shape"), "{first}");
    let second = stdout_of(&course.xtask(&["hint", "07"]).output().unwrap());
    assert!(second.contains("hint 2 of 3") && second.contains("fixture double shape"), "{second}");
    let all = stdout_of(&course.xtask(&["hint", "07", "halve", "--all"]).output().unwrap());
    for rung in ["fixture halve idea", "fixture halve shape", "fixture halve code"] {
        assert!(all.contains(rung), "{all}");
    }
    let progress = course.read(".course/progress");
    assert!(progress.contains("hint 07-steps double 2") && progress.contains("hint 07-steps halve 3"), "{progress}");
    course
        .xtask(&["hint", "07", "triple"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("07-steps has no step \"triple\"; its steps are double, halve"));
}

#[test]
fn json_results_say_which_hint_rungs_each_step_needed() {
    let course = FixtureCourse::new();
    course.xtask(&["hint", "07"]).assert().code(0);
    course.xtask(&["check", "07", "--json", "results.json"]).assert().code(1);
    let json: serde_json::Value = serde_json::from_str(&course.read("results.json")).unwrap();
    assert_eq!(json["hints_read"]["07-steps"]["double"], 1, "{json}");
    // Instructors get every step's checks, not only the first unfinished step's.
    let names: Vec<&str> = json["tests"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["07-steps / doubles_a_number", "07-steps / halves_a_number"]);
}

#[test]
fn the_solution_after_a_pass_is_shown_beside_the_learners_functions() {
    let course = FixtureCourse::new();
    let lib = "exercises/07-steps/src/lib.rs";
    let solved = course
        .read(lib)
        .replace("    // TODO: twice n.\n    todo!()", "    n + n")
        .replace("    // TODO: half of n.\n    todo!()", "    n / 2");
    course.write(lib, &solved);
    course.xtask(&["check", "07"]).assert().code(0);
    let text = stdout_of(&course.xtask(&["solution", "07"]).output().unwrap());
    assert!(text.contains("── double ──"), "{text}");
    assert!(text.contains("-     n + n") && text.contains("+     n * 2"), "{text}");
    assert!(text.contains("── halve ── the same as the reference"), "{text}");
}
