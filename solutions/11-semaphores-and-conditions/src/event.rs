//! A flag threads can wait for: Python's `threading.Event`.

use std::sync::{Condvar, PoisonError};
use std::time::{Duration, Instant};

use crate::shared::Shared;

/// A flag, false at first. `wait` blocks until it is true; `set` makes it true and wakes
/// every waiter; `clear` makes it false again.
#[derive(Debug, Default)]
pub struct Event {
    flag: Shared<bool>,
    changed: Condvar,
}

impl Event {
    /// A cleared event (`threading.Event()`).
    pub fn new() -> Event {
        Event::default()
    }

    /// Sets the flag and wakes every thread waiting for it. Python: `event.set()`.
    pub fn set(&self) {
        *self.flag.lock() = true;
        self.changed.notify_all();
    }

    /// Clears the flag; later waits block again. Python: `event.clear()`.
    pub fn clear(&self) {
        *self.flag.lock() = false;
    }

    /// Whether the flag is set. Python: `event.is_set()`.
    pub fn is_set(&self) -> bool {
        *self.flag.lock()
    }

    /// Waits until the flag is set. Python: `event.wait()`.
    pub fn wait(&self) {
        let mut flag = self.flag.lock();
        while !*flag {
            flag = self
                .changed
                .wait(flag)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Waits until the flag is set or `timeout` has passed, and returns the flag: `false`
    /// means the time ran out. Python: `event.wait(timeout)`.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut flag = self.flag.lock();
        while !*flag {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            flag = self
                .changed
                .wait_timeout(flag, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }
}
