//! The framing on the pipes: one message is one line of JSON.
//!
//! A pipe carries bytes with no boundaries; a reader must know where one message
//! ends. `serde_json` writes a value on one line (a newline inside a string is
//! written as `\n`, two characters), so the newline after it can only mean "end of
//! message".

use std::io::{self, BufRead, Write};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Writes `message` as one JSON line and flushes it: the other side waits for the
/// whole line before it does anything.
pub fn send(output: &mut impl Write, message: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *output, message)?;
    output.write_all(b"\n")?;
    output.flush()
}

/// Reads one JSON line: `Ok(None)` when the other side closed the pipe (end of
/// input), an `InvalidData` error when the line is not a `T`.
pub fn receive<T: DeserializeOwned>(input: &mut impl BufRead) -> io::Result<Option<T>> {
    let mut received = String::new();
    if input.read_line(&mut received)? == 0 {
        return Ok(None);
    }
    serde_json::from_str(&received).map(Some).map_err(|e| {
        let line = received.trim_end();
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{line:?} is not a message: {e}"),
        )
    })
}
