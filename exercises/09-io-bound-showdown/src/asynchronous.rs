//! The async client: one task per page on a tokio runtime, asyncio's model.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use crate::PATIENCE;

/// Fetches page `n` as [`crate::fetch_page`] does, with the same guarantees, but every
/// wait is an `.await`: while this task waits on its socket, the runtime runs the
/// others. When `patience` runs out, the error's kind is `TimedOut`; a reply cut short
/// is an error of kind `UnexpectedEof`.
///
/// ```python
/// async def fetch(n, patience):
///     async with asyncio.timeout(patience):                # Python 3.11+
///         reader, writer = await asyncio.open_connection(*ADDR)
///         writer.write(f"GET {n}\n".encode())
///         line = (await reader.readline()).decode()
///     if not line.endswith("\n"):
///         raise ConnectionError(f"page {n}: the reply was cut short")
///     return line
/// ```
///
/// Read: chapter 09, "Three clients", section "The async client" (`TcpStream` of
/// `tokio::net`, `AsyncWriteExt`, `AsyncBufReadExt`, `timeout` of `tokio::time`). tokio's
/// sockets have no timeouts of their own.
pub async fn fetch_page_async(addr: SocketAddr, n: u64, patience: Duration) -> io::Result<String> {
    // TODO: the same steps as `fetch_page`, each awaited, the whole fetch under one
    // deadline of `patience`.
    todo!()
}

/// Fetches every page of `pages` at once, one task per page, each with the async fetch
/// above and a patience of [`PATIENCE`], and returns the replies in the
/// order of `pages` (the first error, if any). Runs on whatever tokio runtime awaits it;
/// the checks use a one-thread runtime, asyncio's event loop.
///
/// What the checks hold you to: every reply in its place, although pages are answered
/// in another order than asked; every request open at the same time (the server holds
/// its answers until they are); a thousand of them on the one thread, with no thread
/// per page.
///
/// ```python
/// replies = await asyncio.gather(*(fetch(n, PATIENCE) for n in pages))
/// ```
///
/// Read: chapter 09, "Three clients", section "The async client", and chapter 08, "gather
/// of thousands".
pub async fn fetch_async(addr: SocketAddr, pages: &[u64]) -> io::Result<Vec<String>> {
    // TODO: chapter 08's gather again, on sockets: every request open at once, and the
    // replies in the order of `pages`, not the order they arrive in.
    todo!()
}
