//! Given: `with lock:` for the course's plain [`Lock`]: a guard that releases on drop,
//! on every path out of the block, an early `return` and a `?` included.

use std::time::Duration;

use crate::errors::AcquireError;
use crate::lock::Lock;

// ANCHOR: guard
/// Holds a [`Lock`] until it is dropped. Python: the body of `with lock:`.
#[must_use = "the lock is released as soon as the guard is dropped"]
#[derive(Debug)]
pub struct LockGuard<'a> {
    lock: &'a Lock,
}

impl Lock {
    /// `with lock:`: takes the lock as [`Lock::acquire_timeout`] does and returns a guard
    /// that releases it when dropped.
    ///
    /// # Errors
    /// As [`Lock::acquire_timeout`].
    pub fn hold(&self, timeout: Duration) -> Result<LockGuard<'_>, AcquireError> {
        self.acquire_timeout(timeout)?;
        Ok(LockGuard { lock: self })
    }
}

impl Drop for LockGuard<'_> {
    fn drop(&mut self) {
        // The guard took the lock, so it is locked: a release cannot fail here.
        let _ = self.lock.release();
    }
}
// ANCHOR_END: guard
