//! Python's `threading.RLock`, on a `Mutex` and a `Condvar`.

use std::sync::{Condvar, Mutex, PoisonError};
use std::thread::{self, ThreadId};

use crate::errors::NotOwner;

/// A re-entrant lock with Python's rules (`threading.RLock`): the thread that holds it may
/// acquire it again; it is free again only after as many releases as acquires; only that
/// thread may release it; other threads wait, asleep, until it is free.
#[derive(Debug, Default)]
pub struct RLock {
    state: Mutex<Owner>,
    released: Condvar,
}

/// Who holds the lock, and how many times over.
#[derive(Debug, Default)]
struct Owner {
    thread: Option<ThreadId>,
    count: usize,
}

impl RLock {
    /// A free RLock.
    pub fn new() -> RLock {
        RLock::default()
    }

    /// Takes the lock: at once if it is free or this thread holds it already (one level
    /// deeper), otherwise sleeps until the owner's last release.
    pub fn acquire(&self) {
        let me = thread::current().id();
        let mut owner = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if owner.thread == Some(me) {
            owner.count += 1;
            return;
        }
        // `while`, not `if`: a wake-up is a hint, and another waiter may have won the lock.
        while owner.thread.is_some() {
            owner = self
                .released
                .wait(owner)
                .unwrap_or_else(PoisonError::into_inner);
        }
        owner.thread = Some(me);
        owner.count = 1;
    }

    /// Gives back one level; the lock is free after the release that matches the first
    /// acquire, and one waiting thread is woken then.
    ///
    /// # Errors
    /// [`NotOwner`] when the calling thread does not hold the lock.
    pub fn release(&self) -> Result<(), NotOwner> {
        let mut owner = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if owner.thread != Some(thread::current().id()) {
            return Err(NotOwner);
        }
        owner.count -= 1;
        if owner.count == 0 {
            owner.thread = None;
            self.released.notify_one();
        }
        Ok(())
    }
}
