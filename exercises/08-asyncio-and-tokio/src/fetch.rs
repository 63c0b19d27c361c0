//! A blocking call made from async code, without blocking the event loop.

use crate::blocking_io::lookup_blocking;

/// Record `n`, looked up with [`lookup_blocking`] (which blocks its thread for
/// [`crate::LOOKUP_TAKES`]), while the event loop's thread stays free for the other
/// tasks: `await loop.run_in_executor(None, lookup_blocking, n)` in asyncio.
///
/// What the checks hold you to:
/// - the right record;
/// - no poll that holds the loop's thread for the lookup, in this task or in any task
///   it starts on the loop: a heartbeat task due every 10 ms must keep its rhythm;
/// - four fetches at once take about one lookup, not four.
///
/// Read: chapter 08, "The blocking call" (tokio's `spawn_blocking`).
pub async fn fetch(n: u64) -> u64 {
    // TODO: making the lookup right here compiles and returns the right record, and
    // stalls every other task for 200 ms (`fetch_on_the_loop` does exactly that). Where
    // can the lookup block without holding the loop's only thread, and how does this task
    // get its answer back?
    todo!()
}
