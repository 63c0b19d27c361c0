//! One worker, several services, in rounds: every service's first step, then every
//! second step, and so on.

use crate::floor::Floor;
use crate::service::Service;

/// Serves step `k` of every service that has one, for k = 0, 1, 2, ...
pub fn round_robin(floor: &impl Floor, worker: usize, services: &[Service]) {
    let longest = services.iter().map(|s| s.steps.len()).max().unwrap_or(0);
    for k in 0..longest {
        for service in services {
            if let Some(step) = service.steps.get(k) {
                floor.serve(worker, service, step);
            }
        }
    }
}
