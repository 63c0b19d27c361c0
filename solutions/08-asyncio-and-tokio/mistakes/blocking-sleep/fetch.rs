//! The mistake: the blocking lookup made right inside the async function.

use crate::blocking_io::lookup_blocking;

/// Record `n`, looked up on the event loop's own thread: the one poll of this future
/// sleeps 200 ms with `std::thread::sleep`, and no other task runs meanwhile.
pub async fn fetch(n: u64) -> u64 {
    lookup_blocking(n)
}
