//! One worker, several services: concurrency on one thread.

use crate::floor::Floor;
use crate::service::Service;

/// Worker number `worker` serves every step of every service in `services`, alone, on
/// the calling thread, taking turns: one step of the first service, one step of the
/// second, and so on round the services, then back to the first, skipping a service
/// once all its steps are served. Each service's steps are served in their order.
///
/// Three tables of four steps are served as table 1, 2, 3, 1, 2, 3, ... twelve steps.
///
/// Must hold: every step is served exactly once, by `floor.serve`, with this
/// `worker`'s number, on the calling thread (one worker is one thread: start none);
/// services of different lengths keep taking turns until the last one is done.
///
/// Python counterpart: `one_waiter` in `src/python/02_waiters.py`, where each
/// service is a generator and the waiter keeps a `collections.deque` of them.
///
/// Read: "One waiter: taking turns" on the chapter's pages (its worked example
/// takes turns between words); `std::collections::VecDeque` and `Iterator::next`.
pub fn round_robin(floor: &impl Floor, worker: usize, services: &[Service]) {
    // TODO: one step of one service per turn, in the order above. Between two of its
    // turns, what remembers where a service stands? And what ends the evening: the
    // first service done, or the last?
    let _ = (floor, worker, services);
    todo!("round_robin: serve the services' steps in turns, on this thread")
}
