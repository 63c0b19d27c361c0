//! The blocking lookup in a task of its own, on the same loop: the mistake.

use crate::blocking_io::lookup_blocking;

/// Record `n`, looked up in a spawned task: the task runs on the loop's one thread, so
/// its one poll blocks the loop for the whole lookup.
pub async fn fetch(n: u64) -> u64 {
    tokio::spawn(async move { lookup_blocking(n) })
        .await
        .expect("lookup_blocking does not panic")
}
