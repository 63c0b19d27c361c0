//! The sequential client, reading bytes up to the newline.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::PATIENCE;

/// Fetches page `n`, giving up after `patience` at every step.
pub fn fetch_page(addr: SocketAddr, n: u64, patience: Duration) -> io::Result<String> {
    let stream = TcpStream::connect_timeout(&addr, patience)?;
    stream.set_read_timeout(Some(patience))?;
    stream.set_write_timeout(Some(patience))?;
    let mut reader = BufReader::new(stream);
    reader.get_mut().write_all(format!("GET {n}\n").as_bytes())?;
    let mut bytes = Vec::new();
    reader.read_until(b'\n', &mut bytes)?;
    whole(bytes)
}

/// The reply as text, if its last byte is the newline.
pub(crate) fn whole(bytes: Vec<u8>) -> io::Result<String> {
    if bytes.last() != Some(&b'\n') {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Fetches `pages` one after another, stopping at the first error.
pub fn fetch_sequential(addr: SocketAddr, pages: &[u64]) -> io::Result<Vec<String>> {
    let mut replies = Vec::new();
    for &n in pages {
        replies.push(fetch_page(addr, n, PATIENCE)?);
    }
    Ok(replies)
}
