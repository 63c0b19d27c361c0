//! A counting semaphore, every wait through `Condvar::wait_while`.

use std::sync::{Condvar, PoisonError};
use std::time::Duration;

use crate::shared::Shared;

/// A counter of permits (`threading.Semaphore`).
#[derive(Debug)]
pub struct Semaphore {
    permits: Shared<usize>,
    permit_released: Condvar,
}

/// One permit taken from a [`Semaphore`]; it goes back when dropped.
#[derive(Debug)]
#[must_use = "a permit goes back as soon as it is dropped; keep it in a named variable"]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    /// A semaphore with `permits` free permits.
    pub fn new(permits: usize) -> Semaphore {
        Semaphore {
            permits: Shared::new(permits),
            permit_released: Condvar::new(),
        }
    }

    /// Takes a permit, sleeping while none is free.
    pub fn acquire(&self) -> Permit<'_> {
        let mut free = self
            .permit_released
            .wait_while(self.permits.lock(), |free| *free == 0)
            .unwrap_or_else(PoisonError::into_inner);
        *free -= 1;
        Permit { semaphore: self }
    }

    /// Takes a permit if one is free right now.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        let mut free = self.permits.lock();
        (*free > 0).then(|| {
            *free -= 1;
            Permit { semaphore: self }
        })
    }

    /// Takes a permit, waiting at most `timeout` for one.
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<Permit<'_>> {
        // `wait_timeout_while` keeps its own deadline across wake-ups.
        let (mut free, _) = self
            .permit_released
            .wait_timeout_while(self.permits.lock(), timeout, |free| *free == 0)
            .unwrap_or_else(PoisonError::into_inner);
        if *free == 0 {
            return None;
        }
        *free -= 1;
        Some(Permit { semaphore: self })
    }

    /// How many permits are free right now.
    pub fn available(&self) -> usize {
        *self.permits.lock()
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut free = self.semaphore.permits.lock();
        *free += 1;
        // Notified while the lock is still held: also correct, the waiter wakes and
        // then waits for the lock.
        self.semaphore.permit_released.notify_one();
    }
}
