//! `cargo xtask watch` in its plain mode (no terminal): a save is re-checked and
//! named, neither a compile error nor a hang stops it, and `q` quits cleanly.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use support::FixtureCourse;

/// Lines of the watcher's stdout, read on a thread so a slow check never blocks us.
fn lines_of(child: &mut Child) -> mpsc::Receiver<String> {
    let out = child.stdout.take().expect("stdout is piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

/// Waits for a line containing `wanted`, returning everything seen on the way.
fn wait_for(rx: &mpsc::Receiver<String>, wanted: &str, limit: Duration) -> String {
    let deadline = Instant::now() + limit;
    let mut seen = String::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                seen.push_str(&line);
                seen.push('\n');
                if line.contains(wanted) {
                    return seen;
                }
            }
            Err(_) => panic!("no line containing {wanted:?} within {limit:?}; saw:\n{seen}"),
        }
    }
}

#[test]
fn watch_rechecks_a_saved_file_survives_errors_and_hangs_and_quits_on_q() {
    let course = FixtureCourse::new();
    let mut child = course
        .xtask_std(&["watch"])
        .stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let rx = lines_of(&mut child);
    let limit = Duration::from_secs(90);

    wait_for(&rx, "watching for changes", limit);
    // Give the watcher a moment to be registered before the first save.
    std::thread::sleep(Duration::from_millis(300));

    course.write("exercises/05-todo/src/lib.rs", "pub fn double(n: u32) -> u32 {\n    n * 2\n}\n");
    let seen = wait_for(&rx, "watching for changes", limit);
    assert!(seen.contains("changed: exercises/05-todo/src/lib.rs"), "{seen}");
    assert!(seen.contains("1 passed, 0 failed"), "{seen}");

    course.write("exercises/05-todo/src/lib.rs", "pub fn double(n: u32) -> u32 {\n    n * \"two\"\n}\n");
    let seen = wait_for(&rx, "watching for changes", limit);
    assert!(seen.contains("does not compile"), "{seen}");

    // A hang is killed at the exercise's limit (2 s) and watching goes on.
    let hanging = "exercises/04-hanging/src/lib.rs";
    course.write(hanging, &format!("{}\n// saved again\n", course.read(hanging)));
    let seen = wait_for(&rx, "watching for changes", limit);
    assert!(seen.contains("timed out"), "{seen}");

    child.stdin.as_mut().unwrap().write_all(b"q\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "watch did not quit on q");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "watch exited with {status}");
}
