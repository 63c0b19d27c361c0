//! Several workers, each on a thread of its own: parallelism, when there are cores.

use std::thread;

use crate::floor::Floor;
use crate::round_robin::round_robin;
use crate::service::Service;

/// `workers` workers (at least 1), numbered from 1, share out `services` and serve
/// them at the same time, each on a thread of its own: service `i` goes to worker
/// `i % workers + 1`, which serves its share with [`round_robin`]. Returns once every
/// step is served.
pub fn staff(floor: &impl Floor, services: &[Service], workers: usize) {
    thread::scope(|s| {
        for w in 0..workers {
            let share: Vec<Service> = services.iter().skip(w).step_by(workers).cloned().collect();
            s.spawn(move || round_robin(floor, w + 1, &share));
        }
    }); // the scope waits for every worker here
}
