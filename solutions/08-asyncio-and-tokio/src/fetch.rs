//! A blocking call made from async code, without blocking the event loop.

use tokio::task::spawn_blocking;

use crate::blocking_io::lookup_blocking;

/// Record `n`, looked up with [`lookup_blocking`] on tokio's blocking pool, so the
/// event loop's thread stays free for the other tasks: `loop.run_in_executor`.
pub async fn fetch(n: u64) -> u64 {
    spawn_blocking(move || lookup_blocking(n))
        .await
        .expect("lookup_blocking does not panic")
}
