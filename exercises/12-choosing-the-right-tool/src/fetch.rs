//! One download from the course's loopback server, written for you, twice: blocking
//! (the calling thread waits) and async (the task waits, its thread is free).
//!
//! The protocol is one line each way: `GET <page>\n`, answered after the server's
//! delay with `<page> <body>\n`. The reply line is returned as it came, newline
//! included; parsing it is CPU work, and belongs to the CPU stage ([`crate::Work`]).

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

/// How long one download may take before it fails with `TimedOut`: a server that
/// never answers cannot hang a check.
pub const TIMEOUT: Duration = Duration::from_secs(20);

// ANCHOR: fetch_blocking
/// Downloads page `page`, blocking the calling thread until the reply has come:
/// `requests.get(url).text` in Python.
pub fn fetch_blocking(addr: SocketAddr, page: u64) -> io::Result<String> {
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT)?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.write_all(format!("GET {page}\n").as_bytes())?;
    let mut reply = String::new();
    BufReader::new(stream).read_line(&mut reply)?;
    no_reply_is_an_error(reply, page)
}
// ANCHOR_END: fetch_blocking

// ANCHOR: fetch_async
/// Downloads page `page` without blocking the thread: while the reply is on its way,
/// the runtime runs other tasks. `await session.get(url)` with aiohttp in Python.
pub async fn fetch_async(addr: SocketAddr, page: u64) -> io::Result<String> {
    let download = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await?;
        stream.write_all(format!("GET {page}\n").as_bytes()).await?;
        let mut reply = String::new();
        tokio::io::BufReader::new(stream)
            .read_line(&mut reply)
            .await?;
        no_reply_is_an_error(reply, page)
    };
    match tokio::time::timeout(TIMEOUT, download).await {
        Ok(result) => result,
        Err(_) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("page {page}: no reply within {} s", TIMEOUT.as_secs()),
        )),
    }
}
// ANCHOR_END: fetch_async

/// A connection closed before a whole line came is a failed download, not a page.
fn no_reply_is_an_error(reply: String, page: u64) -> io::Result<String> {
    if reply.ends_with('\n') {
        Ok(reply)
    } else {
        Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!(
                "page {page}: the server closed the connection after {} bytes, before the \
                 end of its reply",
                reply.len()
            ),
        ))
    }
}
