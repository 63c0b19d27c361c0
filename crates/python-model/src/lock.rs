//! `threading.Lock` in the model: a lock that Python threads take around a
//! read-modify-write, and that a thread waits for without holding the GIL.

use std::fmt;
use std::sync::{Condvar, Mutex, PoisonError};

use crate::thread::PyThread;

/// A `threading.Lock`: unlocked or locked, released by any thread (not only the one that
/// took it, as in CPython). Waiting for it happens outside the GIL.
#[derive(Debug, Default)]
pub struct PyLock {
    state: Mutex<LockState>,
    released: Condvar,
}

#[derive(Debug, Default)]
struct LockState {
    locked: bool,
    waiters: usize,
}

/// `RuntimeError: release unlocked lock`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReleaseUnlocked;

impl fmt::Display for ReleaseUnlocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("release unlocked lock")
    }
}

impl std::error::Error for ReleaseUnlocked {}

impl PyLock {
    /// A new, unlocked lock.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the lock if it is free, without waiting; whether it was taken.
    pub fn try_acquire(&self) -> bool {
        let mut state = self.lock_state();
        if state.locked {
            false
        } else {
            state.locked = true;
            true
        }
    }

    /// Waits until the lock is free and takes it. Blocks the OS thread: from a Python thread
    /// use [`PyThread::acquire`], which lets go of the GIL first.
    pub fn acquire_blocking(&self) {
        let mut state = self.lock_state();
        state.waiters += 1;
        while state.locked {
            state = self
                .released
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.waiters -= 1;
        state.locked = true;
    }

    /// Unlocks and wakes one waiter; an error if it was not locked.
    pub fn release(&self) -> Result<(), ReleaseUnlocked> {
        let mut state = self.lock_state();
        if !state.locked {
            return Err(ReleaseUnlocked);
        }
        state.locked = false;
        // A wake-up is a system call: skip it when nobody waits.
        if state.waiters > 0 {
            self.released.notify_one();
        }
        Ok(())
    }

    /// Whether it is locked now.
    pub fn is_locked(&self) -> bool {
        self.lock_state().locked
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, LockState> {
        // The state is consistent at every unlock, so a poisoned mutex is still usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl PyThread {
    /// `lock.acquire()`: takes the lock at once if it is free (keeping the GIL), otherwise
    /// waits for it as a blocking call, without the GIL, as CPython's `acquire` does.
    pub fn acquire(&mut self, lock: &PyLock) {
        if !lock.try_acquire() {
            self.blocking(|| lock.acquire_blocking());
        }
    }
}
