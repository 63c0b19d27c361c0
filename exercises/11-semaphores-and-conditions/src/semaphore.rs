//! A counting semaphore on a `Mutex` and a `Condvar`: Python's `threading.Semaphore`.

// The stub leaves its fields and parameters unused until you fill it in.
#![allow(dead_code, unused_imports, unused_variables)]

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// A counter of permits. `acquire` takes one, waiting while none is left; dropping the
/// [`Permit`] gives it back and wakes one waiter.
///
/// Python: `sem = threading.Semaphore(k)`, then `with sem: ...`.
#[derive(Debug)]
pub struct Semaphore {
    /// How many permits are free right now.
    permits: Mutex<usize>,
    /// Signalled each time a permit comes back.
    permit_released: Condvar,
}

/// One permit taken from a [`Semaphore`]; it goes back when this value is dropped
/// (Python's `with sem:` block ends).
#[derive(Debug)]
#[must_use = "a permit goes back as soon as it is dropped; keep it in a named variable (`let _permit = ...`)"]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    /// A semaphore with `permits` free permits (`threading.Semaphore(permits)`).
    pub fn new(permits: usize) -> Semaphore {
        // TODO: a `Mutex::new(permits)` and a `Condvar::new()`.
        todo!()
    }

    /// Takes a permit, waiting (without using the CPU) while none is free.
    /// Python: `sem.acquire()`.
    pub fn acquire(&self) -> Permit<'_> {
        // TODO: lock `self.permits`; `while` the count is 0, wait on
        // `self.permit_released` (`wait` gives the mutex back while it sleeps and returns
        // the guard when woken). A `while`, not an `if`: when you wake up, another thread
        // may have taken the permit first. Then take one (`*permits -= 1`) and return
        // `Permit { semaphore: self }`.
        todo!()
    }

    /// Takes a permit if one is free right now. Python: `sem.acquire(blocking=False)`.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        // TODO: like `acquire`, but return `None` instead of waiting.
        todo!()
    }

    /// Takes a permit, waiting at most `timeout` for one. Python:
    /// `sem.acquire(timeout=t)`, which returns `False` when the time is up.
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<Permit<'_>> {
        // TODO: like `acquire`, with `self.permit_released.wait_timeout(guard, left)`.
        // Work out a deadline first: a wait can end early (another thread took the
        // permit), and then you wait again for the time that is left, not the whole
        // timeout. `None` once the deadline has passed.
        todo!()
    }

    /// How many permits are free right now (Python keeps it in `sem._value`).
    pub fn available(&self) -> usize {
        // TODO: read the count under the lock.
        todo!()
    }
}

impl Drop for Permit<'_> {
    /// Gives the permit back and wakes one waiter: one permit can serve one thread.
    /// Python: `sem.release()`.
    fn drop(&mut self) {
        // TODO: add one to `self.semaphore.permits` under its lock, then
        // `notify_one` on `self.semaphore.permit_released`.
        todo!()
    }
}
