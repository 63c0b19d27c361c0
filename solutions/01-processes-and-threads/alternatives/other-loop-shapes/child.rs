//! The child's loop as a `read_line` loop.

use std::io::{self, BufRead, Write};
use std::sync::atomic::{AtomicU64, Ordering};

/// A global counter; every process has its own.
pub static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Answers each request line with one flushed reply line until the input ends.
pub fn serve(mut input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let request = line.trim_end_matches(['\r', '\n']);
        let reply = match request.trim().split_once(' ') {
            Some(("add", n)) if !n.trim().is_empty() && n.trim().chars().all(|c| c.is_ascii_digit()) => match n.trim().parse::<u64>() {
                Ok(n) => format!("{}", COUNTER.fetch_add(n, Ordering::SeqCst) + n),
                Err(e) => format!("error: {e}"),
            },
            None if request.trim() == "pid" => format!("{}", std::process::id()),
            _ => format!("error: cannot serve {request:?}"),
        };
        output.write_all(reply.as_bytes())?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
}
