//! The mistake: `release` trusts its caller. It refuses a lock that nobody holds, but
//! any thread may take a level off a lock that another thread owns.

use std::sync::{Condvar, Mutex, PoisonError};
use std::thread::{self, ThreadId};

use crate::errors::NotOwner;

/// An RLock whose release forgets to ask who is calling.
#[derive(Debug, Default)]
pub struct RLock {
    state: Mutex<Owner>,
    released: Condvar,
}

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

    /// Takes the lock, re-entrantly; sleeps while another thread owns it.
    pub fn acquire(&self) {
        let me = thread::current().id();
        let mut owner = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if owner.thread == Some(me) {
            owner.count += 1;
            return;
        }
        while owner.thread.is_some() {
            owner = self
                .released
                .wait(owner)
                .unwrap_or_else(PoisonError::into_inner);
        }
        owner.thread = Some(me);
        owner.count = 1;
    }

    /// Gives back one level, whoever calls.
    ///
    /// # Errors
    /// [`NotOwner`] only when nobody holds the lock.
    pub fn release(&self) -> Result<(), NotOwner> {
        let mut owner = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        // The mistake: no `owner.thread != Some(thread::current().id())` test.
        if owner.thread.is_none() {
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
