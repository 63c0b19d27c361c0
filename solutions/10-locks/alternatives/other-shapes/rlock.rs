//! Python's `threading.RLock`: the owner and its depth in one `Option`.

use std::num::NonZeroUsize;
use std::sync::{Condvar, Mutex, PoisonError};
use std::thread::{self, ThreadId};

use crate::errors::NotOwner;

/// A re-entrant lock with Python's rules (`threading.RLock`).
#[derive(Debug, Default)]
pub struct RLock {
    owner: Mutex<Option<(ThreadId, NonZeroUsize)>>,
    free: Condvar,
}

impl RLock {
    /// A free RLock.
    pub fn new() -> RLock {
        RLock::default()
    }

    /// Takes the lock, one level deeper if this thread holds it already.
    pub fn acquire(&self) {
        let me = thread::current().id();
        let owner = self.owner.lock().unwrap_or_else(PoisonError::into_inner);
        let mut owner = self
            .free
            .wait_while(owner, |owner| owner.is_some_and(|(t, _)| t != me))
            .unwrap_or_else(PoisonError::into_inner);
        *owner = Some(match *owner {
            Some((t, depth)) => (t, depth.saturating_add(1)),
            None => (me, NonZeroUsize::MIN),
        });
    }

    /// Gives back one level.
    ///
    /// # Errors
    /// [`NotOwner`] when the calling thread does not hold the lock.
    pub fn release(&self) -> Result<(), NotOwner> {
        let me = thread::current().id();
        let mut owner = self.owner.lock().unwrap_or_else(PoisonError::into_inner);
        match *owner {
            Some((t, depth)) if t == me => {
                *owner = NonZeroUsize::new(depth.get() - 1).map(|d| (t, d));
                if owner.is_none() {
                    drop(owner);
                    self.free.notify_one();
                }
                Ok(())
            }
            _ => Err(NotOwner),
        }
    }
}
