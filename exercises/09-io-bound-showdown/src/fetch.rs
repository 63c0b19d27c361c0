//! The sequential client: one page, then the next.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};

use crate::PATIENCE;

/// Fetches page `n` from the loopback server at `addr`: connects, sends `GET n\n`, reads
/// the one-line reply (newline included). Gives up after [`PATIENCE`] at every step.
///
/// ```python
/// def fetch(n):
///     with socket.create_connection(ADDR, timeout=10) as s:
///         s.sendall(f"GET {n}\n".encode())
///         return s.makefile().readline()
/// ```
pub fn fetch_page(addr: SocketAddr, n: u64) -> io::Result<String> {
    // TODO: `TcpStream::connect_timeout(&addr, PATIENCE)?`; set the read and write timeouts
    // to `Some(PATIENCE)` (a server that never answers must not hang the client);
    // `write_all` the request `GET {n}\n`; then read ONE line with
    // `BufReader::new(stream).read_line(&mut reply)` and return it, newline included.
    todo!()
}

/// Fetches `pages` one after another; the replies come back in the order of `pages`.
pub fn fetch_sequential(addr: SocketAddr, pages: &[u64]) -> io::Result<Vec<String>> {
    // TODO: `fetch_page` for each page, in order; the first error ends the loop
    // (collecting an iterator of `io::Result<String>` into `io::Result<Vec<String>>` does that).
    todo!()
}
