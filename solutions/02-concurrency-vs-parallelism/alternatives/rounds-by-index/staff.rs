//! Several workers, their threads collected and joined by hand.

use std::thread;

use crate::floor::Floor;
use crate::round_robin::round_robin;
use crate::service::Service;

/// One thread per worker, all started before any is joined.
pub fn staff(floor: &impl Floor, services: &[Service], workers: usize) {
    let shares: Vec<Vec<Service>> = (0..workers)
        .map(|w| {
            services
                .iter()
                .enumerate()
                .filter(|(i, _)| i % workers == w)
                .map(|(_, s)| s.clone())
                .collect()
        })
        .collect();
    thread::scope(|s| {
        let handles: Vec<_> = shares
            .iter()
            .enumerate()
            .map(|(w, share)| s.spawn(move || round_robin(floor, w + 1, share)))
            .collect();
        for handle in handles {
            handle.join().expect("a worker panicked");
        }
    });
}
