//! Spawning under a watchdog: every process the runner starts (a build, a check, git,
//! a tool that prints for itself) runs in a process group of its own, with a time
//! limit. When the limit passes, or the runner is interrupted, the whole group is
//! killed, so a learner's hung thread, child process or grandchild never outlives the
//! check that started it. This is the only module that starts processes (a tidy test
//! and `xtask/clippy.toml` hold the rest of the runner to that).

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Mutex, Once};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

/// Process groups alive right now; the interrupt handler kills them all.
static LIVE_GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());
static INSTALL_HANDLER: Once = Once::new();

/// How long to wait for the output pipes once the process has gone. A descendant
/// that escaped the group (it called `setsid`) may hold them open forever.
const PIPE_GRACE: Duration = Duration::from_secs(2);

/// What a watched process left behind.
#[derive(Debug)]
pub struct Finished {
    /// The exit status; `None` when the watchdog killed it.
    pub status: Option<ExitStatus>,
    /// Everything it wrote to stdout (lossily decoded).
    pub stdout: String,
    /// The same, byte for byte.
    pub stdout_bytes: Vec<u8>,
    /// Everything it wrote to stderr.
    pub stderr: String,
    /// Whether the limit passed and the group was killed.
    pub timed_out: bool,
    /// Wall time from spawn to exit (or kill).
    pub elapsed: Duration,
}

/// What happens to the process's output.
#[derive(Debug, Clone, Copy)]
pub enum Output {
    /// Collect stdout and stderr.
    Collect,
    /// Collect both, and copy each stderr line to the runner's stderr as it arrives
    /// (cargo's diagnostics during a build), except lines `hide` rejects.
    ForwardStderr { hide: fn(&str) -> bool },
    /// Let the process write to the runner's own stdout and stderr (a tool that prints
    /// for itself); nothing is collected.
    Inherit,
}

/// Runs `cmd` in a new process group, collects its output and kills the whole group
/// after `limit`, or as soon as the process exits (descendants it left are killed too).
#[allow(clippy::disallowed_methods)] // the one place that spawns
pub fn run(mut cmd: Command, limit: Duration, output: Output) -> Result<Finished> {
    install_interrupt_handler();
    let program = format!("{:?}", cmd.get_program());
    cmd.process_group(0).stdin(Stdio::null());
    let collect = !matches!(output, Output::Inherit);
    if collect {
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    }
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .with_context(|| format!("could not start {program}"))?;
    let group = child.id() as i32;
    register(group);

    let (tx, rx) = mpsc::channel();
    if collect {
        let out = child.stdout.take().context("stdout was not piped")?;
        let err = child.stderr.take().context("stderr was not piped")?;
        spawn_reader(out, Stream::Out, None, tx.clone());
        let hide = match output {
            Output::ForwardStderr { hide } => Some(hide),
            Output::Collect | Output::Inherit => None,
        };
        spawn_reader(err, Stream::Err, hide, tx);
    } else {
        drop(tx);
    }

    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().context("waiting for a child process")? {
            break Some(status);
        }
        if start.elapsed() >= limit {
            timed_out = true;
            kill_group(group);
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    // Whatever the process left running in its group goes with it.
    kill_group(group);
    unregister(group);

    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let deadline = Instant::now() + PIPE_GRACE;
    let mut open = if collect { 2 } else { 0 };
    while open > 0 {
        let wait = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(wait) {
            Ok((Stream::Out, bytes)) => {
                stdout = bytes;
                open -= 1;
            }
            Ok((Stream::Err, bytes)) => {
                stderr = bytes;
                open -= 1;
            }
            Err(_) => break,
        }
    }
    Ok(Finished {
        status,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stdout_bytes: stdout,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        timed_out,
        elapsed,
    })
}

/// Starts `cmd` to outlive the runner (a browser opening the book): in a process group
/// of its own that the watchdog never kills, with no output collected. True when it
/// started and exited with success (openers hand the page to the desktop and return).
#[allow(clippy::disallowed_methods)] // the one place that spawns
pub fn start_detached(mut cmd: Command) -> bool {
    cmd.process_group(0).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    cmd.status().is_ok_and(|s| s.success())
}

#[derive(Clone, Copy)]
enum Stream {
    Out,
    Err,
}

fn spawn_reader(
    mut pipe: impl Read + Send + 'static,
    stream: Stream,
    forward: Option<fn(&str) -> bool>,
    tx: mpsc::Sender<(Stream, Vec<u8>)>,
) {
    thread::spawn(move || {
        let mut all = Vec::new();
        match forward {
            None => {
                let _ = pipe.read_to_end(&mut all);
            }
            Some(hide) => {
                let mut buf = [0u8; 4096];
                let mut line = Vec::new();
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    all.extend_from_slice(&buf[..n]);
                    for &b in &buf[..n] {
                        line.push(b);
                        if b == b'\n' {
                            emit(&line, hide);
                            line.clear();
                        }
                    }
                }
                emit(&line, hide);
            }
        }
        let _ = tx.send((stream, all));
    });
}

fn emit(line: &[u8], hide: fn(&str) -> bool) {
    if line.is_empty() || hide(&String::from_utf8_lossy(line)) {
        return;
    }
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(line);
    let _ = err.flush();
}

fn register(group: i32) {
    if let Ok(mut groups) = LIVE_GROUPS.lock() {
        groups.push(group);
    }
}

fn unregister(group: i32) {
    if let Ok(mut groups) = LIVE_GROUPS.lock() {
        groups.retain(|g| *g != group);
    }
}

fn kill_group(group: i32) {
    // SAFETY: killpg only sends a signal; a group that is already gone yields ESRCH.
    unsafe {
        libc::killpg(group, libc::SIGKILL);
    }
}

/// On Ctrl-C (or SIGTERM/SIGHUP), kill every group still running, say so, exit 130.
fn install_interrupt_handler() {
    INSTALL_HANDLER.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            let groups = LIVE_GROUPS.lock().map(|g| g.clone()).unwrap_or_default();
            for group in &groups {
                kill_group(*group);
            }
            eprintln!(
                "\ninterrupted: stopped {} running process group(s); nothing was left behind",
                groups.len()
            );
            std::process::exit(130);
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hanging_process_tree_is_killed_at_the_limit() {
        let mut cmd = Command::new("sh");
        // A child that starts a grandchild; both would sleep for a minute.
        cmd.args(["-c", "sleep 60 & echo started; sleep 60"]);
        let done = run(cmd, Duration::from_millis(300), Output::Collect).unwrap();
        assert!(done.timed_out);
        assert!(done.status.is_none());
        assert!(done.stdout.contains("started"));
        assert!(done.elapsed < Duration::from_secs(3), "{:?}", done.elapsed);
    }

    #[test]
    fn a_finished_process_reports_its_output_and_status() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo out; echo err >&2; exit 3"]);
        let done = run(cmd, Duration::from_secs(10), Output::Collect).unwrap();
        assert!(!done.timed_out);
        assert_eq!(done.status.and_then(|s| s.code()), Some(3));
        assert_eq!(done.stdout, "out\n");
        assert_eq!(done.stderr, "err\n");
    }
}
