//! Python's plain `threading.Lock`, its timed wait through `wait_timeout_while`.

use std::sync::{Condvar, Mutex, PoisonError};
use std::thread::{self, ThreadId};
use std::time::Duration;

use crate::errors::{AcquireError, ReleaseUnlocked};

/// A plain lock (`threading.Lock`).
#[derive(Debug, Default)]
pub struct Lock {
    holder: Mutex<Option<ThreadId>>,
    free: Condvar,
}

impl Lock {
    /// A free lock.
    pub fn new() -> Lock {
        Lock::default()
    }

    /// `lock.acquire(timeout=...)`.
    ///
    /// # Errors
    /// [`AcquireError::SelfDeadlock`] when this thread holds it;
    /// [`AcquireError::TimedOut`] when another thread held it for the whole `timeout`.
    pub fn acquire_timeout(&self, timeout: Duration) -> Result<(), AcquireError> {
        let me = thread::current().id();
        let holder = self.holder.lock().unwrap_or_else(PoisonError::into_inner);
        if *holder == Some(me) {
            return Err(AcquireError::SelfDeadlock);
        }
        // `wait_timeout_while` keeps one deadline across every wake-up.
        let (mut holder, _) = self
            .free
            .wait_timeout_while(holder, timeout, |holder| holder.is_some())
            .unwrap_or_else(PoisonError::into_inner);
        if holder.is_some() {
            return Err(AcquireError::TimedOut(timeout));
        }
        *holder = Some(me);
        Ok(())
    }

    /// `lock.release()`.
    ///
    /// # Errors
    /// [`ReleaseUnlocked`] if nobody holds it.
    pub fn release(&self) -> Result<(), ReleaseUnlocked> {
        let was = self
            .holder
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match was {
            Some(_) => {
                self.free.notify_one();
                Ok(())
            }
            None => Err(ReleaseUnlocked),
        }
    }
}
