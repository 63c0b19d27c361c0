//! The mistake: each worker's thread is joined before the next one starts.

use std::thread;

use crate::floor::Floor;
use crate::round_robin::round_robin;
use crate::service::Service;

/// Looks like three waiters: one thread each, the right share each. But the loop
/// waits for each thread before it starts the next, so they serve one after another.
pub fn staff(floor: &impl Floor, services: &[Service], workers: usize) {
    thread::scope(|s| {
        for w in 0..workers {
            let share: Vec<Service> = services.iter().skip(w).step_by(workers).cloned().collect();
            s.spawn(move || round_robin(floor, w + 1, &share))
                .join()
                .expect("a waiter does not panic");
        }
    });
}
