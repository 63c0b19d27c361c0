//! The mistake: `fetch_async` awaits each page before it asks for the next. The replies
//! are right and in order, but only one request is ever in flight: the plain loop again.

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::PATIENCE;

/// Fetches page `n` as [`crate::fetch_page`] does, every wait an `.await`.
pub async fn fetch_page_async(addr: SocketAddr, n: u64) -> io::Result<String> {
    let fetch = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await?;
        stream.write_all(format!("GET {n}\n").as_bytes()).await?;
        let mut reply = String::new();
        BufReader::new(stream).read_line(&mut reply).await?;
        Ok(reply)
    };
    tokio::time::timeout(PATIENCE, fetch)
        .await
        .unwrap_or_else(|_| {
            Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("page {n}: no reply"),
            ))
        })
}

/// Fetches the pages, awaiting each before the next is asked for.
pub async fn fetch_async(addr: SocketAddr, pages: &[u64]) -> io::Result<Vec<String>> {
    let mut replies = Vec::with_capacity(pages.len());
    for &n in pages {
        replies.push(fetch_page_async(addr, n).await?); // waits for this page first
    }
    Ok(replies)
}
