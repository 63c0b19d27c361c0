//! A flag threads can wait for, every wait through `Condvar::wait_while`.

use std::sync::{Condvar, PoisonError};
use std::time::Duration;

use crate::shared::Shared;

/// A flag, false at first (`threading.Event`).
#[derive(Debug, Default)]
pub struct Event {
    flag: Shared<bool>,
    changed: Condvar,
}

impl Event {
    /// A cleared event.
    pub fn new() -> Event {
        Event::default()
    }

    /// Sets the flag and wakes every waiter.
    pub fn set(&self) {
        let mut flag = self.flag.lock();
        *flag = true;
        self.changed.notify_all();
    }

    /// Clears the flag.
    pub fn clear(&self) {
        *self.flag.lock() = false;
    }

    /// Whether the flag is set.
    pub fn is_set(&self) -> bool {
        *self.flag.lock()
    }

    /// Sleeps until the flag is set.
    pub fn wait(&self) {
        let _set = self
            .changed
            .wait_while(self.flag.lock(), |set| !*set)
            .unwrap_or_else(PoisonError::into_inner);
    }

    /// Sleeps until the flag is set or `timeout` has passed; returns the flag.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let (set, _) = self
            .changed
            .wait_timeout_while(self.flag.lock(), timeout, |set| !*set)
            .unwrap_or_else(PoisonError::into_inner);
        *set
    }
}
