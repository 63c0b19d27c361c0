//! Python's `threading.RLock`, on a `Mutex` and a `Condvar`.

use std::sync::{Condvar, Mutex, PoisonError};
use std::thread::{self, ThreadId};

use crate::errors::NotOwner;

/// A re-entrant lock with Python's rules (`threading.RLock`): the thread that holds it may
/// acquire it again; it is free again only after as many releases as acquires; only that
/// thread may release it; other threads wait, asleep, until it is free.
#[derive(Debug, Default)]
pub struct RLock {
    // TODO: a `Mutex` around the state (which thread owns it, if any, and how many
    // times it acquired it), and a `Condvar` that waiting threads sleep on.
}

impl RLock {
    /// A free RLock.
    pub fn new() -> RLock {
        // TODO
        todo!()
    }

    /// Takes the lock: at once if it is free or this thread holds it already (one level
    /// deeper), otherwise sleeps until the owner's last release.
    pub fn acquire(&self) {
        // TODO: lock the state (`.unwrap_or_else(PoisonError::into_inner)` for a poisoned
        // mutex). If this thread (`thread::current().id()`) owns it, count one more.
        // Otherwise wait on the condvar `while` another thread owns it (a wake-up does not
        // promise the lock is free: check again), then own it with a count of 1.
        // A loop that checks without waiting on the condvar burns a core: the checks
        // measure the waiting thread's CPU time.
        todo!()
    }

    /// Gives back one level; the lock is free after the release that matches the first
    /// acquire, and one waiting thread is woken then.
    ///
    /// # Errors
    /// [`NotOwner`] when the calling thread does not hold the lock (another thread does,
    /// or nobody), as Python raises `RuntimeError: cannot release un-acquired lock`.
    pub fn release(&self) -> Result<(), NotOwner> {
        // TODO: only the owner may release: anyone else gets `Err(NotOwner)`, and the
        // state is left as it was. Count one less; at 0 the lock has no owner, and
        // `notify_one` wakes a waiter.
        todo!()
    }
}
