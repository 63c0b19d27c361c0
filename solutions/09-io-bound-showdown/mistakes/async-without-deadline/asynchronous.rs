//! The mistake: the async fetch without a deadline. tokio's sockets have no timeouts of
//! their own, so a silent server keeps the task waiting for ever.

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
    let _ = patience; // forgotten
    fetch.await
}

/// Fetches every page of `pages` at once, one task per page (`asyncio.gather`), and
/// returns the replies in the order of `pages`. Runs on whatever tokio runtime awaits it.
pub async fn fetch_async(addr: SocketAddr, pages: &[u64]) -> io::Result<Vec<String>> {
    // Spawn them all first: each task starts waiting on its socket right away.
    let tasks: Vec<_> = pages
        .iter()
        .map(|&n| tokio::spawn(fetch_page_async(addr, n, PATIENCE)))
        .collect();
    let mut replies = Vec::with_capacity(tasks.len());
    for task in tasks {
        match task.await {
            Ok(reply) => replies.push(reply?),
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    Ok(replies)
}
