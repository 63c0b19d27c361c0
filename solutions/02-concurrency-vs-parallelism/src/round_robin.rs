//! One worker, several services: concurrency on one thread.

use std::collections::VecDeque;

use crate::floor::Floor;
use crate::service::Service;

/// Worker number `worker` serves every step of every service in `services`, alone, on
/// the calling thread, taking turns: one step of the first service, one step of the
/// second, and so on round the services, then back to the first, skipping a service
/// once all its steps are served. Each service's steps are served in their order.
pub fn round_robin(floor: &impl Floor, worker: usize, services: &[Service]) {
    // One turn per service: the service and where it stands in its steps.
    let mut turns: VecDeque<_> = services.iter().map(|s| (s, s.steps.iter())).collect();
    while let Some((service, mut steps)) = turns.pop_front() {
        if let Some(step) = steps.next() {
            floor.serve(worker, service, step);
            turns.push_back((service, steps));
        }
    }
}
