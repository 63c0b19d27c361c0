//! `asyncio.gather` of many lookups, each a task of its own.

use std::time::Duration;

use crate::in_flight::InFlight;
use crate::lookup::lookup;

/// Looks up every id of `ids` at once, each with [`lookup`]`(id, wait, in_flight)`, and
/// returns the records in the order of `ids`: result `i` is the record of `ids[i]`.
pub async fn gather_lookups(ids: &[u64], wait: Duration, in_flight: &InFlight) -> Vec<u64> {
    // Spawn them all first: each task starts waiting at once.
    let tasks: Vec<_> = ids
        .iter()
        .map(|&id| tokio::spawn(lookup(id, wait, in_flight.clone())))
        .collect();
    // Then await the handles in the order asked, as `gather` orders its results.
    let mut records = Vec::with_capacity(tasks.len());
    for task in tasks {
        match task.await {
            Ok(record) => records.push(record),
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    }
    records
}
