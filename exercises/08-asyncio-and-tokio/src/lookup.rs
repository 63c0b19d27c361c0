//! Given: an async lookup, the kind an async database driver or HTTP client offers
//! (`await client.get(url)` in Python). While it waits, it gives the event loop back.

use std::time::Duration;

use tokio::time::sleep;

use crate::blocking_io::record;
use crate::in_flight::InFlight;

/// How long [`lookup`]`(id, wait, ..)` waits: between half of `wait` and all of it,
/// depending on `id`. Lookups asked together therefore finish in another order than
/// they were asked.
pub fn lookup_wait(id: u64, wait: Duration) -> Duration {
    let half = wait / 2;
    // record(id) % 1001 is 0..=1000: a share of the second half, scattered by id.
    let share = u32::try_from(record(id) % 1001).unwrap_or(0);
    half + half * share / 1000
}

/// Record `id`, looked up the async way: counts itself in `in_flight`, waits
/// [`lookup_wait`]`(id, wait)` on tokio's clock without holding the thread, then returns
/// [`record`]`(id)`. It owns its arguments, so its future can be spawned as a task.
///
/// ```python
/// async def lookup(id):
///     await asyncio.sleep(lookup_wait(id))   # the server thinks
///     return record(id)
/// ```
pub async fn lookup(id: u64, wait: Duration, in_flight: InFlight) -> u64 {
    let _waiting = in_flight.enter();
    sleep(lookup_wait(id, wait)).await;
    record(id)
}
