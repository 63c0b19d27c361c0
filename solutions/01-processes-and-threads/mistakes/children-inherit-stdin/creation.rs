//! Mistake: the children are given nowhere to write but keep the parent's stdin.
//! Under the checks' runner that stdin is already closed, so each child reads
//! end-of-file at once and exits; in a terminal each child waits for the keyboard,
//! and `ch01-table` hangs until Ctrl-D.

use std::io;
use std::process::{Command, Stdio};
use std::thread::{self, ThreadId};

/// Starts `n` threads and joins them all.
pub fn start_threads(n: usize) -> Vec<ThreadId> {
    let handles: Vec<_> = (0..n).map(|_| thread::spawn(|| thread::current().id())).collect();
    handles.into_iter().map(|h| h.join().expect("a thread that only reports its id cannot panic")).collect()
}

/// Starts `n` children that inherit the parent's stdin, then waits for them.
pub fn start_processes(command: &mut Command, n: usize) -> io::Result<Vec<u32>> {
    command.stdout(Stdio::null());
    let mut children = Vec::with_capacity(n);
    for _ in 0..n {
        children.push(command.spawn()?);
    }
    let mut pids = Vec::with_capacity(n);
    for mut child in children {
        let status = child.wait()?;
        if !status.success() {
            return Err(io::Error::other(format!("child {} exited with {status}", child.id())));
        }
        pids.push(child.id());
    }
    Ok(pids)
}
