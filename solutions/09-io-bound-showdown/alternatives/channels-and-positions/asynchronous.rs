//! The async client: a JoinSet of (position, reply), each fetch raced against a sleep.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::task::JoinSet;

use crate::PATIENCE;
use crate::fetch::whole;

/// Fetches page `n` with `.await` at every wait, racing the whole fetch against a sleep.
pub async fn fetch_page_async(addr: SocketAddr, n: u64, patience: Duration) -> io::Result<String> {
    let fetch = async {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        let mut reader = BufReader::new(stream);
        reader.get_mut().write_all(format!("GET {n}\n").as_bytes()).await?;
        let mut bytes = Vec::new();
        reader.read_until(b'\n', &mut bytes).await?;
        whole(bytes)
    };
    tokio::select! {
        reply = fetch => reply,
        () = tokio::time::sleep(patience) => Err(io::ErrorKind::TimedOut.into()),
    }
}

/// Fetches every page at once and puts each reply at its position as it arrives.
pub async fn fetch_async(addr: SocketAddr, pages: &[u64]) -> io::Result<Vec<String>> {
    let mut tasks = JoinSet::new();
    for (at, &n) in pages.iter().enumerate() {
        tasks.spawn(async move { (at, fetch_page_async(addr, n, PATIENCE).await) });
    }
    let mut replies = vec![String::new(); pages.len()];
    while let Some(done) = tasks.join_next().await {
        let (at, reply) = done.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
        replies[at] = reply?;
    }
    Ok(replies)
}
