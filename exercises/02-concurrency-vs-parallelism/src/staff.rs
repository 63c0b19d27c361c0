//! Several workers, each on a thread of its own: parallelism, when there are cores.

use crate::floor::Floor;
use crate::service::Service;

/// `workers` workers (at least 1), numbered from 1, share out `services` and serve
/// them at the same time, each on a thread of its own: service 0 goes to worker 1,
/// service 1 to worker 2, ..., service `workers` back to worker 1, and so on. Each
/// worker serves its own share with [`crate::round_robin`]. Returns once every
/// step is served.
///
/// Three waiters for three tables is `staff(floor, &tables, 3)`: one table each.
pub fn staff(floor: &impl Floor, services: &[Service], workers: usize) {
    // `std::thread::scope(|s| { ... })` lets the threads borrow `floor`, and waits for
    // all of them before it returns. Inside, for each worker `w` in 0..workers:
    // collect its share (`services.iter().skip(w).step_by(workers).cloned()` into a
    // `Vec<Service>`), then `s.spawn(move || round_robin(floor, w + 1, &share))`.
    // Start every thread before any of them is waited for: a thread joined right
    // after it starts is one waiter in disguise.
    let _ = (floor, services, workers);
    todo!("staff: one thread per worker, each serving its share of the services")
}
