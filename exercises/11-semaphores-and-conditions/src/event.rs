//! A flag threads can wait for: Python's `threading.Event`.

// The stub leaves its fields and parameters unused until you fill it in.
#![allow(dead_code, unused_imports, unused_variables)]

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// A flag, false at first. `wait` blocks until it is true; `set` makes it true and wakes
/// every waiter; `clear` makes it false again.
#[derive(Debug, Default)]
pub struct Event {
    flag: Mutex<bool>,
    changed: Condvar,
}

impl Event {
    /// A cleared event (`threading.Event()`).
    pub fn new() -> Event {
        Event::default()
    }

    /// Sets the flag and wakes every thread waiting for it. Python: `event.set()`.
    pub fn set(&self) {
        // TODO: set the flag under the lock, then wake the waiters. All of them:
        // `notify_one` would wake one and leave the others asleep for ever.
        todo!()
    }

    /// Clears the flag; later waits block again. Python: `event.clear()`.
    pub fn clear(&self) {
        todo!()
    }

    /// Whether the flag is set. Python: `event.is_set()`.
    pub fn is_set(&self) -> bool {
        todo!()
    }

    /// Waits until the flag is set. Python: `event.wait()`.
    pub fn wait(&self) {
        // TODO: lock; `while` the flag is false, wait on `self.changed`.
        todo!()
    }

    /// Waits until the flag is set or `timeout` has passed, and returns the flag: `false`
    /// means the time ran out. Python: `event.wait(timeout)`.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        // TODO: as `Semaphore::acquire_timeout`: a deadline, then
        // `self.changed.wait_timeout(guard, left)` in a `while` loop.
        todo!()
    }
}
