//! Step 1 of 5: the framing on the pipes. One message is one line of JSON.
//!
//! A pipe carries bytes with no boundaries; the reader must know where one message
//! ends. `serde_json` writes a value on one line (a newline inside a string becomes
//! the two characters `\n`), so a raw newline can only mean "end of message".
//! Read: chapter 06, "Talking to a worker", section "Jobs over pipes".

use std::io::{self, BufRead, Write};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Writes `message` as one line of compact JSON, ends it with a newline, and flushes,
/// so the whole line has left this process when `send` returns: the other side waits
/// for that line before it does anything.
///
/// Python: `conn.send(obj)` (`Connection` in `Lib/multiprocessing/connection.py`
/// writes the pickle's length, then the pickle).
/// APIs: serde_json's `to_writer` (its error converts into an `io::Error` with `?`),
/// `Write::write_all`, `Write::flush`. `to_writer` takes its writer by value, so handing
/// it `output` itself moves the borrow away; the primer's *Everyday pieces* shows how to
/// lend a `&mut` again for one call.
pub fn send(output: &mut impl Write, message: &impl Serialize) -> io::Result<()> {
    // TODO: write the message, then the end of the line, then make sure nothing stays
    // behind in a buffer: a reply stuck in a buffer is a pool waiting forever.
    todo!()
}

/// Reads exactly one line and parses it as a `T`. Returns `Ok(None)` when the other
/// side has closed its end (nothing more will come), and an error of kind
/// `InvalidData` that shows the line when the line is not a `T`.
///
/// Python: `try: return conn.recv() except EOFError: return None`.
/// APIs: `BufRead::read_line` (how many bytes it read tells the end of the input),
/// serde_json's `from_str`, `io::Error::new` with the kind `InvalidData`.
pub fn receive<T: DeserializeOwned>(input: &mut impl BufRead) -> io::Result<Option<T>> {
    // TODO: one line per call (the next line is the next call's), the end of the input
    // told apart from a bad line, and a bad line reported with its text.
    todo!()
}
