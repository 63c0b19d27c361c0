//! A flag threads can wait for: Python's `threading.Event`.

// The stub leaves its fields and parameters unused until you fill it in.
#![allow(dead_code, unused_imports, unused_variables)]

use std::sync::{Condvar, PoisonError};
use std::time::{Duration, Instant};

use crate::shared::Shared;

/// A flag, false at first. `wait` sleeps until it is true; `set` makes it true and
/// wakes every waiter; `clear` makes it false again.
///
/// Python: `threading.Event` (`Lib/threading.py`: a flag and a `Condition`).
///
/// Read: "Sleeping until something changes", on `notify_one` against `notify_all` and
/// on timed waits.
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
        // TODO: every waiter must wake, not just one.
        todo!()
    }

    /// Clears the flag; later waits sleep again. Python: `event.clear()`.
    pub fn clear(&self) {
        // TODO
        todo!()
    }

    /// Whether the flag is set. Python: `event.is_set()`.
    pub fn is_set(&self) -> bool {
        // TODO
        todo!()
    }

    /// Sleeps until the flag is set. Python: `event.wait()`.
    pub fn wait(&self) {
        // TODO
        todo!()
    }

    /// Sleeps until the flag is set or `timeout` has passed, and returns the flag:
    /// `false` means the time ran out. Python: `event.wait(timeout)`.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        // TODO: a deadline fixed before the first wait; each timed wait is for what is
        // left of it.
        todo!()
    }
}
