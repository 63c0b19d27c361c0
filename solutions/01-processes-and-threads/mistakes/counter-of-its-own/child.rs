//! Mistake: `serve` keeps its own local counter instead of the process's global
//! `COUNTER`. In a fresh child both start at zero, so the replies look right; the
//! process's memory is never what changed.

use std::io::{self, BufRead, Write};
use std::sync::atomic::AtomicU64;

/// A global counter; every process has its own. This version never touches it.
pub static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Answers each request from a counter that lives in this call only.
pub fn serve(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    let mut counter: u64 = 0;
    for request in input.lines() {
        let request = request?;
        let words: Vec<&str> = request.split_whitespace().collect();
        let reply = match words.as_slice() {
            ["add", n] => match n.parse::<u64>() {
                Ok(n) => {
                    counter += n;
                    counter.to_string()
                }
                Err(_) => format!("error: `{n}` is not a whole number"),
            },
            ["pid"] => std::process::id().to_string(),
            _ => format!("error: unknown request `{request}`"),
        };
        writeln!(output, "{reply}")?;
        output.flush()?;
    }
    Ok(())
}
