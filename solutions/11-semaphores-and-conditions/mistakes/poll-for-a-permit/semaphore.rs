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
        // THE MISTAKE: no sleep on the condition variable; it looks again every
        // millisecond. Each look is cheap, but the thread wakes a thousand times a
        // second for nothing, and answers up to a millisecond late.
        loop {
            if let Some(permit) = self.try_acquire() {
                return permit;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
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
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            permits = self
                .permit_released
                .wait_timeout(permits, left)
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
