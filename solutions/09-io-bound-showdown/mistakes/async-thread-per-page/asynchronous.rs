//! The mistake: "async" on the outside, a blocking fetch on a thread per page inside.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::{PATIENCE, fetch_page};
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

/// The mistake: each page fetched by the blocking client on tokio's blocking pool, a
/// thread per page; the replies are right, in order, and all in flight at once.
pub async fn fetch_async(addr: SocketAddr, pages: &[u64]) -> io::Result<Vec<String>> {
    let tasks: Vec<_> = pages
        .iter()
        .map(|&n| tokio::task::spawn_blocking(move || fetch_page(addr, n, PATIENCE)))
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
