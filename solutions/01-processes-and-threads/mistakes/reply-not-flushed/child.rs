//! Mistake: every reply is written but never flushed. In the child program this
//! goes unnoticed (Rust's stdout flushes at each newline), but a `serve` handed a
//! buffered writer (a socket, a `BufWriter`, Python's `sys.stdout` on a pipe) keeps
//! its replies while the parent waits for them.

use std::io::{self, BufRead, Write};
use std::sync::atomic::{AtomicU64, Ordering};

/// A global counter; every process has its own.
pub static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Answers each request, without flushing.
pub fn serve(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    for request in input.lines() {
        let request = request?;
        let words: Vec<&str> = request.split_whitespace().collect();
        let reply = match words.as_slice() {
            ["add", n] => match n.parse::<u64>() {
                Ok(n) => (COUNTER.fetch_add(n, Ordering::SeqCst) + n).to_string(),
                Err(_) => format!("error: `{n}` is not a whole number"),
            },
            ["pid"] => std::process::id().to_string(),
            _ => format!("error: unknown request `{request}`"),
        };
        writeln!(output, "{reply}")?;
    }
    Ok(())
}
