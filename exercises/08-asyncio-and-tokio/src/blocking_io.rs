//! Given: a blocking call, the kind a library without an async API makes (a database
//! driver, a file read, `requests.get` in Python), and the mistake of calling it right
//! on the event loop.

use std::sync::OnceLock;
use std::time::Duration;

use crate::in_flight::InFlight;

/// How long one [`lookup_blocking`] blocks its thread.
pub const LOOKUP_TAKES: Duration = Duration::from_millis(200);

/// Looks up record `n` the blocking way: the calling thread sleeps [`LOOKUP_TAKES`]
/// (`thread::sleep`, Python's `time.sleep`), then returns [`record`]`(n)`.
pub fn lookup_blocking(n: u64) -> u64 {
    let _busy = lookups_in_flight().enter();
    std::thread::sleep(LOOKUP_TAKES);
    record(n)
}

/// The record a lookup of `n` returns, so a check knows every right answer.
pub fn record(n: u64) -> u64 {
    n.wrapping_add(1)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(17)
}

/// How many [`lookup_blocking`] calls of this process are under way, and the most at once.
pub fn lookups_in_flight() -> &'static InFlight {
    static LOOKUPS: OnceLock<InFlight> = OnceLock::new();
    LOOKUPS.get_or_init(InFlight::new)
}

// ANCHOR: on_the_loop
/// The mistake, kept as the baseline to beat: an async function that makes the
/// blocking call right where it stands. It compiles and returns the right record, but
/// its one poll holds the event loop's only thread for the whole lookup.
pub async fn fetch_on_the_loop(n: u64) -> u64 {
    lookup_blocking(n)
}
// ANCHOR_END: on_the_loop
