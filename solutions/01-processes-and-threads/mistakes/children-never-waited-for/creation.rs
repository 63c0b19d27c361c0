//! Mistake: the children are started and their ids collected, but nobody waits for
//! them. Each one that exits stays a zombie (an entry in the process table holding
//! its exit status) until this process ends.

use std::io;
use std::process::{Command, Stdio};
use std::thread::{self, ThreadId};

/// Starts `n` threads and joins them all.
pub fn start_threads(n: usize) -> Vec<ThreadId> {
    let handles: Vec<_> = (0..n).map(|_| thread::spawn(|| thread::current().id())).collect();
    handles.into_iter().map(|h| h.join().expect("a thread that only reports its id cannot panic")).collect()
}

/// Starts `n` children and returns their ids without waiting for any.
pub fn start_processes(command: &mut Command, n: usize) -> io::Result<Vec<u32>> {
    command.stdin(Stdio::null()).stdout(Stdio::null());
    let mut pids = Vec::with_capacity(n);
    for _ in 0..n {
        pids.push(command.spawn()?.id());
    }
    Ok(pids)
}
