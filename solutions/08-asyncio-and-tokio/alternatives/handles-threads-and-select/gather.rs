//! `asyncio.gather` of many lookups: a JoinSet whose tasks say where their answer goes.

use std::time::Duration;

use tokio::task::JoinSet;

use crate::in_flight::InFlight;
use crate::lookup::lookup;

/// Looks up every id of `ids` at once and returns the records in the order of `ids`.
pub async fn gather_lookups(ids: &[u64], wait: Duration, in_flight: &InFlight) -> Vec<u64> {
    let mut tasks = JoinSet::new();
    for (at, &id) in ids.iter().enumerate() {
        let lookup = lookup(id, wait, in_flight.clone());
        tasks.spawn(async move { (at, lookup.await) });
    }
    let mut records = vec![0; ids.len()];
    while let Some(done) = tasks.join_next().await {
        let (at, record) = done.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
        records[at] = record;
    }
    records
}
