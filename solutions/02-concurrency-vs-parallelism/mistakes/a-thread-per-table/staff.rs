//! Mistake: one thread per table instead of one per worker. With three waiters for
//! three tables the two coincide; two cashiers for ten tables start ten threads,
//! and one cashier's two lines are served on two threads at once.

use std::thread;

use crate::floor::Floor;
use crate::round_robin::round_robin;
use crate::service::Service;

/// Starts a thread for every service, numbered as its worker would be.
pub fn staff(floor: &impl Floor, services: &[Service], workers: usize) {
    thread::scope(|s| {
        for (i, service) in services.iter().enumerate() {
            let table = vec![service.clone()];
            s.spawn(move || round_robin(floor, i % workers + 1, &table));
        }
    });
}
