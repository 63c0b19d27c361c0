//! The async client: one task per page on a tokio runtime, asyncio's model.

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::PATIENCE;

/// Fetches page `n` as [`crate::fetch_page`] does, but every wait is an `.await`: while
/// this task waits on its socket, the runtime runs the others. Gives up after
/// [`PATIENCE`].
///
/// ```python
/// async def fetch(n):
///     reader, writer = await asyncio.open_connection(*ADDR)
///     writer.write(f"GET {n}\n".encode())
///     return (await reader.readline()).decode()
/// ```
pub async fn fetch_page_async(addr: SocketAddr, n: u64) -> io::Result<String> {
    // TODO: the same three steps with tokio's types: `tokio::net::TcpStream::connect(addr).await?`,
    // `stream.write_all(..).await?` (AsyncWriteExt), then `BufReader::new(stream)
    // .read_line(&mut reply).await?` (AsyncBufReadExt). Put them in an `async { ... }` block
    // and wrap it in `tokio::time::timeout(PATIENCE, ..)`; a timeout becomes an
    // `io::Error` of kind `TimedOut`.
    todo!()
}

/// Fetches every page of `pages` at once, one task per page (`asyncio.gather`), and
/// returns the replies in the order of `pages`. Runs on whatever tokio runtime awaits it
/// (the checks use a one-thread runtime, asyncio's event loop).
///
/// ```python
/// replies = await asyncio.gather(*(fetch(n) for n in pages))
/// ```
pub async fn fetch_async(addr: SocketAddr, pages: &[u64]) -> io::Result<Vec<String>> {
    // TODO: `tokio::spawn(fetch_page_async(addr, n))` for every page FIRST, keeping the
    // `JoinHandle`s in a Vec; THEN await each handle in order. `handle.await` is
    // `Result<io::Result<String>, JoinError>`: on `Err(e)` the task panicked, pass it on
    // with `std::panic::resume_unwind(e.into_panic())`.
    // Awaiting `fetch_page_async` inside a loop, one after another, is the plain loop
    // again: correct replies, one request in flight at a time.
    todo!()
}
