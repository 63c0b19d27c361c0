//! The sequential client: one page, then the next.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::PATIENCE;

/// Fetches page `n` from the loopback server at `addr`: connects, sends the request
/// line `GET n\n`, reads the one-line reply and returns it, newline included.
///
/// What the checks hold you to:
/// - the reply exactly as the server sent it (`"17 <body>\n"` for page 17);
/// - no step waits longer than `patience` (connecting, sending, waiting for the reply):
///   a server that never answers gives an error after about `patience` (its kind is
///   what the system says of a read that timed out: `WouldBlock` or `TimedOut`), never
///   a hang;
/// - a reply that stops before its newline (the server closed the connection early, or
///   without a word) is an error of kind `UnexpectedEof`, not a reply.
///
/// ```python
/// def fetch(n, patience):
///     with socket.create_connection(ADDR, timeout=patience) as s:   # every step
///         s.sendall(f"GET {n}\n".encode())
///         line = s.makefile().readline()
///     if not line.endswith("\n"):
///         raise ConnectionError(f"page {n}: the reply was cut short")
///     return line
/// ```
///
/// Read: chapter 09, "Three clients", section "The blocking client" (`TcpStream`:
/// `connect_timeout`, and its read and write timeouts; `Write::write_all`;
/// `BufRead::read_line`).
pub fn fetch_page(addr: SocketAddr, n: u64, patience: Duration) -> io::Result<String> {
    // TODO: the Python above, step by step, no step waiting longer than `patience`. When
    // the server hangs up before its newline, does your read fail? How do you know that a
    // reply is whole?
    todo!()
}

/// Fetches `pages` one after another, each with [`fetch_page`] and a patience of
/// [`PATIENCE`]; the replies come back in the order of `pages`, and the first error
/// ends the run.
///
/// ```python
/// replies = [fetch(n, PATIENCE) for n in pages]
/// ```
pub fn fetch_sequential(addr: SocketAddr, pages: &[u64]) -> io::Result<Vec<String>> {
    // TODO: one page after another, in order; stop at the first error and return it.
    todo!()
}
