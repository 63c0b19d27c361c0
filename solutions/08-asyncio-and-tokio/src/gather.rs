//! `asyncio.gather` of many tasks: a `JoinSet`.

use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::sleep;

use crate::in_flight::InFlight;

// ANCHOR: gather
/// Starts `n` tasks at once, task `i` waiting `wait` and then returning `i`, and
/// collects what they return, in the order they finished. Each task holds an `in_flight`
/// guard while it waits.
pub async fn gather_sleeps(n: usize, wait: Duration, in_flight: &InFlight) -> Vec<usize> {
    let mut tasks = JoinSet::new();
    for i in 0..n {
        let in_flight = in_flight.clone();
        tasks.spawn(async move {
            let _waiting = in_flight.enter();
            sleep(wait).await;
            i
        });
    }
    // In the order the tasks finished, not the order they were spawned (as `gather` would).
    tasks.join_all().await
}
// ANCHOR_END: gather
