//! Python's `threading.RLock`, on a `Mutex` and a `Condvar`.

// The stub leaves its parameters and imports unused until you fill it in.
#![allow(unused_imports, dead_code)]

use std::sync::{Condvar, Mutex, PoisonError};
use std::thread::{self, ThreadId};

use crate::errors::NotOwner;

/// A re-entrant lock with Python's rules (`threading.RLock`):
/// - the thread that holds it may acquire it again, one level deeper;
/// - it is free again only after as many releases as acquires;
/// - only that thread may release it;
/// - other threads wait, asleep (no CPU, no polling), until it is free.
///
/// Read: "Lock and RLock" in this chapter, and the primer's "`Condvar`: waiting until
/// something is true".
#[derive(Debug, Default)]
pub struct RLock {
    // TODO: the state (which thread owns it, if any, and how many levels deep) behind a
    // mutex, and a condition variable for the threads that wait for it.
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
        // TODO: `thread::current` gives the calling thread, and its `id` tells threads
        // apart. With several waiters, what may a thread assume about the lock when it
        // wakes up? The checks watch the waiting thread: it must be asleep, not looking.
        todo!()
    }

    /// Gives back one level; the lock is free after the release that matches the first
    /// acquire, and one waiting thread is woken then.
    ///
    /// # Errors
    /// [`NotOwner`] when the calling thread does not hold the lock (another thread does,
    /// or nobody), as Python raises `RuntimeError: cannot release un-acquired lock`; the
    /// lock is left as it was.
    pub fn release(&self) -> Result<(), NotOwner> {
        // TODO
        todo!()
    }
}
