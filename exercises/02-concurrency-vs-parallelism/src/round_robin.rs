//! One worker, several services: concurrency on one thread.

use crate::floor::Floor;
use crate::service::Service;

/// Worker number `worker` serves every step of every service in `services`, alone, on
/// the calling thread, taking turns: one step of the first service, one step of the
/// second, and so on round the services, then back to the first, skipping a service
/// once all its steps are served. Each service's steps are served in their order.
///
/// Three tables of four steps are served as table 1, 2, 3, 1, 2, 3, ... twelve steps.
pub fn round_robin(floor: &impl Floor, worker: usize, services: &[Service]) {
    // Serve each step with `floor.serve(worker, service, step)`; it returns when the
    // step is done. Keep a queue of turns (`std::collections::VecDeque`), one per
    // service: the service and an iterator over its steps (`service.steps.iter()`).
    // Take the turn at the front; if its iterator gives a step, serve it and put the
    // turn back at the end of the queue; if not, that service is done: drop the turn.
    // Stop when the queue is empty. Do not start any thread here: one worker is one
    // thread.
    let _ = (floor, worker, services);
    todo!("round_robin: serve the services' steps in turns, on this thread")
}
