//! The sequential client: one page, then the next.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::PATIENCE;

/// Fetches page `n` from the loopback server at `addr`: connects, sends `GET n\n`, reads
/// the one-line reply (newline included). Gives up after `patience` at every step; a
/// reply cut short is an `UnexpectedEof` error.
pub fn fetch_page(addr: SocketAddr, n: u64, patience: Duration) -> io::Result<String> {
    let mut stream = TcpStream::connect_timeout(&addr, patience)?;
    stream.set_read_timeout(Some(patience))?;
    stream.set_write_timeout(Some(patience))?;
    stream.write_all(format!("GET {n}\n").as_bytes())?;
    let mut reply = String::new();
    BufReader::new(stream).read_line(&mut reply)?; // blocks until the server answers
    whole(n, reply)
}

/// `reply` if it ends in its newline; otherwise the connection closed before the end.
pub(crate) fn whole(n: u64, reply: String) -> io::Result<String> {
    if reply.ends_with('\n') {
        return Ok(reply);
    }
    Err(io::Error::new(
        io::ErrorKind::UnexpectedEof,
        format!("page {n}: the connection closed after {} bytes of the reply, before its end", reply.len()),
    ))
}

/// Fetches `pages` one after another; the replies come back in the order of `pages`.
pub fn fetch_sequential(addr: SocketAddr, pages: &[u64]) -> io::Result<Vec<String>> {
    pages.iter().map(|&n| fetch_page(addr, n, PATIENCE)).collect()
}
