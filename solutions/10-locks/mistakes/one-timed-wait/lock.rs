//! Python's plain `threading.Lock`, with a timed acquire that reports a self-deadlock
//! instead of hanging.

use std::sync::{Condvar, Mutex, PoisonError};
use std::thread::{self, ThreadId};
use std::time::Duration;

use crate::errors::{AcquireError, ReleaseUnlocked};

/// A plain lock (`threading.Lock`): held by one thread at a time, not re-entrant. It
/// remembers which thread took it, only to tell a self-deadlock from a busy lock; as in
/// Python, any thread may release it.
#[derive(Debug, Default)]
pub struct Lock {
    holder: Mutex<Option<ThreadId>>,
    released: Condvar,
}

impl Lock {
    /// A free lock.
    pub fn new() -> Lock {
        Lock::default()
    }

    /// `lock.acquire(timeout=...)`: takes the lock, waiting at most `timeout` for another
    /// thread to release it.
    ///
    /// # Errors
    /// [`AcquireError::SelfDeadlock`] at once when the calling thread holds the lock
    /// already; [`AcquireError::TimedOut`] when another thread held it for the whole
    /// `timeout`.
    pub fn acquire_timeout(&self, timeout: Duration) -> Result<(), AcquireError> {
        let me = thread::current().id();
        let mut holder = self.holder.lock().unwrap_or_else(PoisonError::into_inner);
        if *holder == Some(me) {
            return Err(AcquireError::SelfDeadlock);
        }
        if holder.is_some() {
            // THE MISTAKE: one timed wait, as if a wake-up meant the lock is free. When
            // another thread took it again first, this gives up long before its timeout.
            holder = self
                .released
                .wait_timeout(holder, timeout)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            if holder.is_some() {
                return Err(AcquireError::TimedOut(timeout));
            }
        }
        *holder = Some(me);
        Ok(())
    }

    /// `lock.release()`: frees the lock and wakes one waiting thread. Any thread may
    /// release a plain lock, as in Python.
    ///
    /// # Errors
    /// [`ReleaseUnlocked`] if nobody holds it.
    pub fn release(&self) -> Result<(), ReleaseUnlocked> {
        let mut holder = self.holder.lock().unwrap_or_else(PoisonError::into_inner);
        if holder.take().is_none() {
            return Err(ReleaseUnlocked);
        }
        self.released.notify_one();
        Ok(())
    }
}
