//! What creating a thread or a process costs: batches of each.

use std::io;
use std::process::{Command, Stdio};
use std::thread::{self, ThreadId};

/// Starts `n` threads that do nothing but report who they are, waits for all of
/// them and returns their ids.
pub fn start_threads(n: usize) -> Vec<ThreadId> {
    let handles: Vec<_> = (0..n)
        .map(|_| thread::spawn(|| thread::current().id()))
        .collect();
    handles
        .into_iter()
        .map(|handle| {
            handle
                .join()
                .expect("a thread that only reports its id cannot panic")
        })
        .collect()
}

/// Starts `n` processes of `command` with nothing to read, waits for all of them
/// and returns their process ids. A child that does not exit successfully is an
/// error, reported once every child has been waited for.
pub fn start_processes(command: &mut Command, n: usize) -> io::Result<Vec<u32>> {
    command.stdin(Stdio::null()).stdout(Stdio::null());
    let mut children = Vec::with_capacity(n);
    let mut failed = None;
    for _ in 0..n {
        match command.spawn() {
            Ok(child) => children.push(child),
            Err(err) => {
                // No more starts; the children already running are still waited for below.
                failed = Some(format!("starting child {} of {n} failed: {err}", children.len() + 1));
                break;
            }
        }
    }
    let mut pids = Vec::with_capacity(n);
    for mut child in children {
        // Wait for every child, even after a failure: one not waited for stays a zombie.
        match child.wait() {
            Ok(status) if !status.success() && failed.is_none() => {
                failed = Some(format!("child {} exited with {status}", child.id()));
            }
            Ok(_) => {}
            Err(err) if failed.is_none() => failed = Some(format!("waiting for child {} failed: {err}", child.id())),
            Err(_) => {}
        }
        pids.push(child.id());
    }
    match failed {
        Some(failure) => Err(io::Error::other(failure)),
        None => Ok(pids),
    }
}
