//! Mistake: the waiter goes round the tables while every table has a step left,
//! and stops at the first table that is done. With tables of equal length nothing
//! is lost; with a short table, the longer tables' last steps are never served.

use crate::floor::Floor;
use crate::service::Service;

/// Takes turns round the tables, and stops as soon as one has nothing left.
pub fn round_robin(floor: &impl Floor, worker: usize, services: &[Service]) {
    let mut turns: Vec<_> = services.iter().map(|s| (s, s.steps.iter())).collect();
    'evening: loop {
        for (service, steps) in turns.iter_mut() {
            match steps.next() {
                Some(step) => floor.serve(worker, service, step),
                None => break 'evening,
            }
        }
        if turns.is_empty() {
            break;
        }
    }
}
