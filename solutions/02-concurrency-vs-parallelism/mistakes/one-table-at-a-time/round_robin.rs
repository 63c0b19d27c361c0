//! The mistake: one table at a time, start to finish.

use crate::floor::Floor;
use crate::service::Service;

/// Serves every step of every table, in order, on this thread, but never leaves a
/// table before it is done: the other tables wait with not even their order taken.
pub fn round_robin(floor: &impl Floor, worker: usize, services: &[Service]) {
    for service in services {
        for step in &service.steps {
            floor.serve(worker, service, step);
        }
    }
}
