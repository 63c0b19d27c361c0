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
///
/// Must hold: one thread per worker, whatever the number of cores or of services;
/// all the workers' threads exist and work at the same time (the page's "The waiter
/// in disguise" shows how that goes wrong); every thread has ended when this returns.
///
/// Python would write (threads under the GIL are concurrent, not parallel; Rust's are
/// both):
///
/// ```python
/// shares = [services[w::workers] for w in range(workers)]
/// waiters = [threading.Thread(target=one_waiter, args=(w + 1, share))
///            for w, share in enumerate(shares)]
/// for t in waiters: t.start()
/// for t in waiters: t.join()
/// ```
///
/// Read: "Several waiters: threads" on the chapter's pages (its worked example
/// shares documents out between counting threads), and the primer's "Threads,
/// ownership and scoped threads"; `std::thread::scope`, `Iterator::step_by`.
pub fn staff(floor: &impl Floor, services: &[Service], workers: usize) {
    // TODO: give each worker its share of the services and a thread of its own
    // that serves that share; come back only when all of them are done. All the
    // workers must be at work at the same moment: when is each thread waited for?
    let _ = (floor, services, workers);
    todo!("staff: one thread per worker, each serving its share of the services")
}
