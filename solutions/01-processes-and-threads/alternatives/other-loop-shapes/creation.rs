//! Batches of threads and processes, collected with iterators.

use std::io;
use std::process::{Command, Stdio};
use std::thread::{self, ThreadId};

/// Starts `n` scoped threads and returns their ids.
pub fn start_threads(n: usize) -> Vec<ThreadId> {
    thread::scope(|s| {
        let handles: Vec<_> = (0..n).map(|_| s.spawn(|| thread::current().id())).collect();
        handles.into_iter().map(|h| h.join().expect("an id-reporting thread panicked")).collect()
    })
}

/// Starts `n` children with no stdin and no stdout, waits for all, then reports.
pub fn start_processes(command: &mut Command, n: usize) -> io::Result<Vec<u32>> {
    command.stdin(Stdio::null()).stdout(Stdio::null());
    // Start until one start fails; whatever started is waited for either way.
    let started: Vec<io::Result<std::process::Child>> = (0..n).map(|_| command.spawn()).collect();
    let mut first_error = None;
    let mut pids = Vec::new();
    for attempt in started {
        match attempt {
            Ok(mut child) => {
                let pid = child.id();
                match child.wait() {
                    Ok(status) if status.success() => pids.push(pid),
                    Ok(status) => {
                        first_error.get_or_insert_with(|| io::Error::other(format!("process {pid} ended with {status}")));
                    }
                    Err(err) => {
                        first_error.get_or_insert(err);
                    }
                }
            }
            Err(err) => {
                first_error.get_or_insert(err);
            }
        }
    }
    match first_error {
        Some(err) => Err(err),
        None => Ok(pids),
    }
}
