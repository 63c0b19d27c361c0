//! The mistake: `fetch_async` awaits each page before it asks for the next. The replies
//! are right and in order, but only one request is ever in flight: the plain loop again.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::PATIENCE;
use crate::fetch::whole;

/// Fetches page `n` as [`crate::fetch_page`] does, but every wait is an `.await`: while
/// this task waits on its socket, the runtime runs the others. Gives up after `patience`.
pub async fn fetch_page_async(addr: SocketAddr, n: u64, patience: Duration) -> io::Result<String> {
    let fetch = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await?;
        stream.write_all(format!("GET {n}\n").as_bytes()).await?;
        let mut reply = String::new();
        BufReader::new(stream).read_line(&mut reply).await?;
        whole(n, reply)
    };
    tokio::time::timeout(patience, fetch).await.unwrap_or_else(|_| {
        Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("page {n}: no reply within {patience:?}"),
        ))
    })
}

/// The mistake: one page after another, each awaited before the next is asked for.
pub async fn fetch_async(addr: SocketAddr, pages: &[u64]) -> io::Result<Vec<String>> {
    let mut replies = Vec::with_capacity(pages.len());
    for &n in pages {
        replies.push(fetch_page_async(addr, n, PATIENCE).await?); // waits for this page first
    }
    Ok(replies)
}
