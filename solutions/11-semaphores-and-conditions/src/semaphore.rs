//! A counting semaphore on a mutex and a `Condvar`: Python's `threading.Semaphore`.

use std::sync::{Condvar, PoisonError};
use std::time::{Duration, Instant};

use crate::shared::Shared;

/// A counter of permits. `acquire` takes one, waiting while none is left; dropping the
/// [`Permit`] gives it back and wakes one waiter.
///
/// Python: `sem = threading.Semaphore(k)`, then `with sem: ...`.
#[derive(Debug)]
pub struct Semaphore {
    /// How many permits are free right now.
    permits: Shared<usize>,
    /// Signalled each time a permit comes back.
    permit_released: Condvar,
}

/// One permit taken from a [`Semaphore`]; it goes back when this value is dropped
/// (Python's `with sem:` block ends).
#[derive(Debug)]
#[must_use = "a permit goes back as soon as it is dropped; keep it in a named variable"]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    /// A semaphore with `permits` free permits (`threading.Semaphore(permits)`).
    pub fn new(permits: usize) -> Semaphore {
        Semaphore {
            permits: Shared::new(permits),
            permit_released: Condvar::new(),
        }
    }

    /// Takes a permit, waiting (without using the CPU) while none is free.
    /// Python: `sem.acquire()`.
    pub fn acquire(&self) -> Permit<'_> {
        let mut permits = self.permits.lock();
        while *permits == 0 {
            permits = self
                .permit_released
                .wait(permits)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *permits -= 1;
        Permit { semaphore: self }
    }

    /// Takes a permit if one is free right now. Python: `sem.acquire(blocking=False)`.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        let mut permits = self.permits.lock();
        if *permits == 0 {
            return None;
        }
        *permits -= 1;
        Some(Permit { semaphore: self })
    }

    /// Takes a permit, waiting at most `timeout` for one. Python:
    /// `sem.acquire(timeout=t)`, which returns `False` when the time is up.
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<Permit<'_>> {
        let deadline = Instant::now() + timeout;
        let mut permits = self.permits.lock();
        while *permits == 0 {
            let now = Instant::now();
            if now >= deadline {
                return None;
            }
            permits = self
                .permit_released
                .wait_timeout(permits, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        *permits -= 1;
        Some(Permit { semaphore: self })
    }

    /// How many permits are free right now (Python keeps it in `sem._value`).
    pub fn available(&self) -> usize {
        *self.permits.lock()
    }
}

impl Drop for Permit<'_> {
    /// Gives the permit back and wakes one waiter: one permit can serve one thread.
    /// Python: `sem.release()`.
    fn drop(&mut self) {
        *self.semaphore.permits.lock() += 1;
        self.semaphore.permit_released.notify_one();
    }
}
