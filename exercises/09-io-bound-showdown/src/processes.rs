//! Written for you: the multiprocessing client. Python's
//! `multiprocessing.Pool(processes).map(fetch, pages)`, with real operating-system
//! processes: each child is the `ch09-fetch` program, which fetches its share of the pages
//! with your `fetch_sequential` and prints the replies. The reference solution compiles
//! this very file.

use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Fetches `pages` from `addr` with `processes` child processes running `fetcher` (the
/// `ch09-fetch` program), all started before any is waited for: child `i` fetches pages
/// `i`, `i + processes`, … one after another. Returns the replies in the order of `pages`.
///
/// # Errors
/// When a child cannot start, fails, or prints fewer replies than it was given pages.
pub fn fetch_with_processes(
    fetcher: &Path,
    addr: SocketAddr,
    pages: &[u64],
    processes: usize,
) -> io::Result<Vec<String>> {
    let processes = processes.clamp(1, pages.len().max(1));
    let mut children: Vec<(Vec<usize>, Child)> = Vec::new();
    for i in 0..processes {
        let mine: Vec<usize> = (i..pages.len()).step_by(processes).collect();
        let child = Command::new(fetcher)
            .arg(addr.to_string())
            .args(mine.iter().map(|&at| pages[at].to_string()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| {
                io::Error::new(e.kind(), format!("cannot start {}: {e}", fetcher.display()))
            })?;
        children.push((mine, child));
    }
    let mut replies = vec![String::new(); pages.len()];
    let mut failure = None;
    // Wait for every child, even after one failed, so none is left running.
    for (mine, child) in children {
        let output = child.wait_with_output()?;
        let text = String::from_utf8_lossy(&output.stdout);
        let lines: Vec<&str> = text.lines().collect();
        if !output.status.success() || lines.len() != mine.len() {
            failure.get_or_insert_with(|| {
                io::Error::other(format!(
                    "a `{}` child given {} pages printed {} replies and ended with {}",
                    fetcher.display(),
                    mine.len(),
                    lines.len(),
                    output.status
                ))
            });
            continue;
        }
        for (at, line) in mine.into_iter().zip(lines) {
            replies[at] = format!("{line}\n");
        }
    }
    match failure {
        Some(error) => Err(error),
        None => Ok(replies),
    }
}
