//! `asyncio.gather`, with the results in the order the tasks finished: the mistake.

use std::time::Duration;

use tokio::task::JoinSet;

use crate::in_flight::InFlight;
use crate::lookup::lookup;

/// Looks up every id at once, but returns the records as the tasks finish.
pub async fn gather_lookups(ids: &[u64], wait: Duration, in_flight: &InFlight) -> Vec<u64> {
    let mut tasks = JoinSet::new();
    for &id in ids {
        tasks.spawn(lookup(id, wait, in_flight.clone()));
    }
    tasks.join_all().await
}
