//! Mistake: `children.push(command.spawn()?)`. When a start fails halfway through the
//! batch, `?` returns at once, and the children started before it are never waited for.

use std::io;
use std::process::{Command, Stdio};
use std::thread::{self, ThreadId};

/// Starts `n` threads and joins them all.
pub fn start_threads(n: usize) -> Vec<ThreadId> {
    let handles: Vec<_> = (0..n).map(|_| thread::spawn(|| thread::current().id())).collect();
    handles.into_iter().map(|h| h.join().expect("a thread that only reports its id cannot panic")).collect()
}

/// Starts `n` children, returning at the first start that fails; waits for all otherwise.
pub fn start_processes(command: &mut Command, n: usize) -> io::Result<Vec<u32>> {
    command.stdin(Stdio::null()).stdout(Stdio::null());
    let mut children = Vec::with_capacity(n);
    for _ in 0..n {
        children.push(command.spawn()?);
    }
    let mut pids = Vec::with_capacity(n);
    let mut failed = None;
    for mut child in children {
        let status = child.wait()?;
        if !status.success() && failed.is_none() {
            failed = Some(format!("child {} exited with {status}", child.id()));
        }
        pids.push(child.id());
    }
    match failed {
        Some(failure) => Err(io::Error::other(failure)),
        None => Ok(pids),
    }
}
