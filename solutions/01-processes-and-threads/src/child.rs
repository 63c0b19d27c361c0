//! The child's side: another process, another memory.

use std::io::{self, BufRead, Write};
use std::sync::atomic::{AtomicU64, Ordering};

/// A global counter, like a module-level `counter = 0` in Python. Every process
/// that runs this library has a copy of its own, starting at zero.
pub static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The child's loop: answers each request line of `input` with one reply line
/// on `output`, flushed, until `input` ends. See `answer` for the protocol.
pub fn serve(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    for request in input.lines() {
        let request = request?;
        writeln!(output, "{}", answer(&request))?;
        output.flush()?;
    }
    Ok(())
}

/// The reply to one request: `add N` adds N to this process's `COUNTER` and
/// answers its new value, `pid` answers this process's id, anything else an
/// `error: ...` line.
fn answer(request: &str) -> String {
    let words: Vec<&str> = request.split_whitespace().collect();
    match words.as_slice() {
        // Digits only, as Python's `str.isdigit()` wants: `+5` parses as a `u64` but is no N.
        ["add", n] if n.bytes().all(|b| b.is_ascii_digit()) => match n.parse::<u64>() {
            Ok(n) => (COUNTER.fetch_add(n, Ordering::SeqCst) + n).to_string(),
            Err(_) => format!("error: `{n}` is too large"),
        },
        ["add", n] => format!("error: `{n}` is not a whole number"),
        ["pid"] => std::process::id().to_string(),
        _ => format!("error: unknown request `{request}`"),
    }
}
