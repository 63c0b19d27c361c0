//! The mistake: every page a task, all at once, the replies taken as they arrive.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::task::JoinSet;

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

/// The mistake: a JoinSet's replies, in the order the pages arrived.
pub async fn fetch_async(addr: SocketAddr, pages: &[u64]) -> io::Result<Vec<String>> {
    let mut tasks = JoinSet::new();
    for &n in pages {
        tasks.spawn(fetch_page_async(addr, n, PATIENCE));
    }
    tasks.join_all().await.into_iter().collect()
}
