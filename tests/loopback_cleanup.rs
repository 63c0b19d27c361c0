//! Chapter 09's checks start real TCP servers (crates/loopback) and real processes (the
//! `ch09-fetch` workers). This proves they leave nothing behind: after a passing run, a
//! failing run (the untouched stub) and a run killed mid-check the way the runner's
//! watchdog kills a check that ran out of time (SIGKILL to its whole process group), no
//! process of the run is alive and no socket it listened on is still listening.
//!
//! Each run gets a marker in its environment, which every process it starts inherits, so
//! its processes are found even after they have been re-parented. While it runs, the
//! test records which loopback ports the run's processes listen on (from `/proc/PID/fd`
//! and `/proc/net/tcp`); afterwards none of them may still be listening, and no listening
//! socket that appeared during the run may belong to a process of the run. Other
//! programs on the machine may open and close ports meanwhile; they are not counted.
//!
//! The checks binaries are built with the cargo that runs this test (the first run builds
//! them; after that each case takes a second or two).

mod support;

use std::collections::{HashMap, HashSet};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use support::project_root;

const MARKER_VAR: &str = "LOOPBACK_CLEANUP_MARKER";

/// One case at a time: each compares the machine's listening sockets before and after.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The `checks` test binaries of the stub and the solution. The stub is built first, so
/// that the `ch09-fetch` program both packages put in target/debug is the solution's.
fn binaries() -> &'static (PathBuf, PathBuf) {
    static BINARIES: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    BINARIES.get_or_init(|| {
        let stub = checks_binary("ex09-io-bound-showdown");
        let solution = checks_binary("sol09-io-bound-showdown");
        (stub, solution)
    })
}

fn checks_binary(package: &str) -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(project_root())
        .args([
            "test",
            "--quiet",
            "--package",
            package,
            "--test",
            "checks",
            "--no-run",
        ])
        .arg("--message-format=json")
        .stderr(Stdio::inherit())
        .output()
        .expect("cargo can be started");
    assert!(
        out.status.success(),
        "building the checks of {package} failed"
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|v| v["reason"] == "compiler-artifact" && v["target"]["name"] == "checks")
        .find_map(|v| v["executable"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| panic!("cargo named no `checks` executable for {package}"))
}

/// Listening TCP sockets on 127.0.0.1: inode → port.
fn listening_on_loopback() -> HashMap<u64, u16> {
    let table = std::fs::read_to_string("/proc/net/tcp").expect("/proc/net/tcp is readable");
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (ip, port) = fields.get(1)?.split_once(':')?;
            // 0A is TCP_LISTEN; 0100007F is 127.0.0.1 in the kernel's byte order.
            if fields.get(3) != Some(&"0A") || ip != "0100007F" {
                return None;
            }
            Some((
                fields.get(9)?.parse().ok()?,
                u16::from_str_radix(port, 16).ok()?,
            ))
        })
        .collect()
}

/// Every process whose environment holds `marker`.
fn pids_with(marker: &str) -> Vec<u32> {
    let needle = format!("{MARKER_VAR}={marker}");
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .map(|env| env.split(|&b| b == 0).any(|var| var == needle.as_bytes()))
                .unwrap_or(false)
        })
        .collect()
}

/// The socket inodes `pid` holds open.
fn sockets_of(pid: u32) -> HashSet<u64> {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return HashSet::new();
    };
    fds.filter_map(|fd| {
        let target = std::fs::read_link(fd.ok()?.path()).ok()?;
        let target = target.to_str()?;
        target
            .strip_prefix("socket:[")?
            .strip_suffix(']')?
            .parse()
            .ok()
    })
    .collect()
}

/// What a watched run did.
struct Run {
    /// Listening loopback sockets the run's processes held (inode → port).
    listened: HashMap<u64, u16>,
    /// The most processes of the run alive at once (the checks binary and its children).
    most_processes: usize,
    killed: bool,
    success: bool,
    output: String,
}

/// Runs one check of `binary` in a process group of its own, watching its processes and
/// their listening sockets. With `kill_when`, kills the whole group with SIGKILL, as the
/// runner's watchdog does at a check's time limit, as soon as `kill_when(run so far)` is
/// true. Then proves the run left nothing behind.
fn run_and_watch(binary: &Path, check: &str, kill_when: Option<&dyn Fn(&Run) -> bool>) -> Run {
    let _one = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let marker = format!("{}-{}", std::process::id(), check);
    let before = listening_on_loopback();
    let log = tempfile::NamedTempFile::new().expect("a scratch file");
    // One open file for both streams, so they append instead of overwriting each other.
    let out = log.reopen().expect("the scratch file");
    let mut child = Command::new(binary)
        .args(["--exact", check, "--nocapture"])
        .current_dir(project_root().join("exercises/09-io-bound-showdown"))
        .env(MARKER_VAR, &marker)
        .env("INSTA_UPDATE", "no")
        .env("RUST_BACKTRACE", "0")
        .stderr(out.try_clone().expect("the scratch file"))
        .stdout(out)
        .process_group(0)
        .spawn()
        .expect("the checks binary starts");
    let group = child.id() as i32;
    let mut run = Run {
        listened: HashMap::new(),
        most_processes: 0,
        killed: false,
        success: false,
        output: String::new(),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for the checks binary") {
            break status;
        }
        let pids = pids_with(&marker);
        run.most_processes = run.most_processes.max(pids.len());
        let listening = listening_on_loopback();
        for pid in pids {
            for inode in sockets_of(pid) {
                if let Some(&port) = listening.get(&inode) {
                    run.listened.insert(inode, port);
                }
            }
        }
        let time_up = Instant::now() > deadline;
        if time_up || kill_when.is_some_and(|when| !run.killed && when(&run)) {
            // SAFETY: killpg only sends a signal, to the group this test created.
            unsafe { libc::killpg(group, libc::SIGKILL) };
            run.killed = true;
            assert!(!time_up, "{check} ran for more than 60 s");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    run.success = status.success();
    run.output = std::fs::read_to_string(log.path()).unwrap_or_default();

    // Nothing of the run may remain: the processes go with the group (a moment after a
    // kill, the kernel may still be tearing them down), and their sockets with them.
    let gone_by = Instant::now() + Duration::from_secs(5);
    while !pids_with(&marker).is_empty() && Instant::now() < gone_by {
        std::thread::sleep(Duration::from_millis(20));
    }
    let left = pids_with(&marker);
    assert!(
        left.is_empty(),
        "{check}: processes of the run still alive after it ended: {left:?}"
    );
    let after = listening_on_loopback();
    let still: Vec<u16> = run
        .listened
        .iter()
        .filter(|(inode, _)| after.contains_key(inode))
        .map(|(_, &port)| port)
        .collect();
    assert!(
        still.is_empty(),
        "{check}: ports the run listened on are still listening: {still:?}"
    );
    let new: Vec<u16> = after
        .iter()
        .filter(|(inode, _)| !before.contains_key(inode) && run.listened.contains_key(inode))
        .map(|(_, &port)| port)
        .collect();
    assert!(
        new.is_empty(),
        "{check}: listening sockets opened by the run remain: {new:?}"
    );
    run
}

#[test]
fn a_passing_check_leaves_no_process_and_no_listening_port() {
    let (_, solution) = binaries();
    let run = run_and_watch(
        solution,
        "threads_under_the_gil_beat_sequential_by_about_the_concurrency",
        None,
    );
    assert!(
        run.success || run.output.contains(timing::INCONCLUSIVE),
        "the solution's check did not pass:\n{}",
        run.output
    );
    // Each timed run starts a server of its own: the watch must have seen several.
    assert!(
        run.listened.len() >= 2,
        "saw {} listening server socket(s) during the check; the watch is not seeing the servers",
        run.listened.len()
    );
}

#[test]
fn a_failing_check_on_the_stub_leaves_no_process_and_no_listening_port() {
    let (stub, _) = binaries();
    let run = run_and_watch(
        stub,
        "the_threaded_client_returns_every_page_in_order",
        None,
    );
    assert!(!run.success, "the stub passed a check:\n{}", run.output);
    assert!(
        run.output.contains("not yet implemented"),
        "expected the stub's todo!() panic:\n{}",
        run.output
    );
}

#[test]
fn a_check_killed_at_its_limit_leaves_no_process_and_no_listening_port() {
    let (_, solution) = binaries();
    // The timed race of threads against the plain loop starts a server per run: kill the
    // group once one listens, in the middle of the check. (Since the checks stopped running
    // the whole showdown, no check of 09 starts `ch09-fetch` children.)
    let mid_check = |run: &Run| !run.listened.is_empty();
    let run = run_and_watch(
        solution,
        "threads_under_the_gil_beat_sequential_by_about_the_concurrency",
        Some(&mid_check),
    );
    assert!(
        run.killed && !run.success,
        "the check ended before it could be killed:\n{}",
        run.output
    );
}
