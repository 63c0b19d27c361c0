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
///
/// Python's `multiprocessing` does the same with pickles: `conn.send(obj)` writes the
/// pickle's length, then the pickle.
pub fn send(output: &mut impl Write, message: &impl Serialize) -> io::Result<()> {
    // TODO: `serde_json::to_writer(&mut *output, message)?` writes the JSON (its error
    // turns into an `io::Error` with `?`), then write a b"\n" and `flush()`. Without
    // the flush the line can sit in a buffer while the other side waits for it.
    todo!()
}

/// Reads one JSON line: `Ok(None)` when the other side closed the pipe (end of
/// input), an `InvalidData` error when the line is not a `T`.
///
/// Python would write: `try: return conn.recv() except EOFError: return None`
pub fn receive<T: DeserializeOwned>(input: &mut impl BufRead) -> io::Result<Option<T>> {
    // TODO: `read_line` into a String. It returns Ok(0) at end of input: the writer
    // has closed its end (or died), return Ok(None). Otherwise parse the line with
    // `serde_json::from_str`; turn a parse error into
    // `io::Error::new(io::ErrorKind::InvalidData, ...)`, saying what the line was.
    todo!()
}
