//! A counting semaphore on a mutex and a condition variable: Python's
//! `threading.Semaphore`.

// The stub leaves its fields and parameters unused until you fill it in.
#![allow(dead_code, unused_imports, unused_variables)]

use std::sync::{Condvar, PoisonError};
use std::time::{Duration, Instant};

use crate::shared::Shared;

/// A counter of permits. `acquire` takes one, sleeping while none is free; dropping the
/// [`Permit`] gives it back and wakes one sleeper.
///
/// Python: `sem = threading.Semaphore(k)`, then `with sem: ...`. CPython writes it in
/// Python (`Lib/threading.py`, class `Semaphore`): a counter and a `Condition`.
///
/// Read: "Sleeping until something changes" (the condition-variable page of this
/// chapter), and the primer's `Mutex`, guards and `Drop`.
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
        // TODO: the two fields.
        todo!()
    }

    /// Takes a permit, sleeping (no CPU, no polling) while none is free. Python:
    /// `sem.acquire()`.
    ///
    /// Guarantees: never more than `k` permits out at once, however many threads ask;
    /// a thread that finds none free sleeps until a permit comes back.
    pub fn acquire(&self) -> Permit<'_> {
        // TODO: sleep while no permit is free, then take one. Two threads may ask for the
        // last permit at the same moment: what keeps both from getting it? And what may
        // a thread assume about the count when it wakes up?
        todo!()
    }

    /// Takes a permit if one is free right now, without waiting. Python:
    /// `sem.acquire(blocking=False)`.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        // TODO
        todo!()
    }

    /// Takes a permit, waiting at most `timeout` for one; `None` when the time is up.
    /// Python: `sem.acquire(timeout=t)`, which returns `False` then.
    ///
    /// A wake-up is not the end of the wait: when the permit that woke this thread was
    /// taken by another one first, it waits again, for the time that is left until the
    /// deadline (not the whole timeout again). CPython does the same: `endtime` in
    /// `Semaphore.acquire`, `Lib/threading.py`.
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<Permit<'_>> {
        // TODO: as `acquire`, with a deadline fixed before the first wait and a timed
        // wait for what is left of it.
        todo!()
    }

    /// How many permits are free right now (Python keeps it in `sem._value`).
    pub fn available(&self) -> usize {
        // TODO
        todo!()
    }
}

impl Drop for Permit<'_> {
    /// Gives the permit back and wakes one sleeper: one permit can serve one thread.
    /// Python: `sem.release()`.
    fn drop(&mut self) {
        // TODO: one more free permit, and one waiter woken to use it.
        todo!()
    }
}
