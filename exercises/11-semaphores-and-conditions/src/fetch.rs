//! A blocking page fetch over TCP: the "download" the semaphore bounds. Given code.
//!
//! It speaks the course's loopback protocol (`GET <n>\n`, answered with one line after
//! the server's delay), as `urllib.request.urlopen(url).read()` would speak HTTP.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// Fetches page `page` from the server at `addr` and returns its whole answer line
/// without the newline (`"<page> <body>"`). Blocks for the server's delay; gives up
/// with an error after 10 s of silence.
///
/// # Errors
/// When the connection fails, times out or closes before a whole line arrives.
pub fn fetch(addr: SocketAddr, page: u64) -> io::Result<String> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.write_all(format!("GET {page}\n").as_bytes())?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    if !line.ends_with('\n') {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("page {page}: the server closed the connection mid-answer"),
        ));
    }
    // Read to the end, so the connection is closed on both sides before we return:
    // a download is over when its connection is.
    let mut rest = Vec::new();
    io::Read::read_to_end(&mut reader, &mut rest)?;
    line.pop();
    Ok(line)
}
