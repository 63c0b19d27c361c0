//! The sequential client: one page, then the next.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};

use crate::PATIENCE;

// ANCHOR: fetch_page
/// Fetches page `n` from the loopback server at `addr`: connects, sends `GET n\n`, reads
/// the one-line reply (newline included). Gives up after [`PATIENCE`] at every step.
pub fn fetch_page(addr: SocketAddr, n: u64) -> io::Result<String> {
    let mut stream = TcpStream::connect_timeout(&addr, PATIENCE)?;
    stream.set_read_timeout(Some(PATIENCE))?;
    stream.set_write_timeout(Some(PATIENCE))?;
    stream.write_all(format!("GET {n}\n").as_bytes())?;
    let mut reply = String::new();
    BufReader::new(stream).read_line(&mut reply)?; // blocks until the server answers
    Ok(reply)
}
// ANCHOR_END: fetch_page

// ANCHOR: fetch_sequential
/// Fetches `pages` one after another; the replies come back in the order of `pages`.
pub fn fetch_sequential(addr: SocketAddr, pages: &[u64]) -> io::Result<Vec<String>> {
    pages.iter().map(|&n| fetch_page(addr, n)).collect()
}
// ANCHOR_END: fetch_sequential
