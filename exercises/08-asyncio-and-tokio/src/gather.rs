//! `asyncio.gather` of many lookups, each a task of its own.

use std::time::Duration;

use crate::in_flight::InFlight;
use crate::lookup::lookup;

/// Looks up every id of `ids` at once, each with [`lookup`]`(id, wait, in_flight)`, and
/// returns the records in the order of `ids`: result `i` is the record of `ids[i]`.
///
/// What the checks hold you to:
/// - every lookup is under way before any has finished (`in_flight` counts all of
///   them at once), so ten thousand lookups take about one `wait`, not ten thousand;
/// - the order is the order asked, although the lookups finish in another order
///   (each waits a different time, see [`crate::lookup_wait`]).
///
/// ```python
/// records = await asyncio.gather(*(lookup(i) for i in ids))
/// ```
///
/// Read: chapter 08, "gather of thousands" (`tokio::spawn`, `JoinHandle`, `JoinSet`).
pub async fn gather_lookups(ids: &[u64], wait: Duration, in_flight: &InFlight) -> Vec<u64> {
    // TODO: every lookup waiting at the same time, and the records in the order of `ids`.
    // What does a future do before it is awaited? And in which order do the lookups end?
    todo!()
}
