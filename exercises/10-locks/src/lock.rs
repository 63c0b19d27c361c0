//! Python's plain `threading.Lock`, with a timed acquire that reports a self-deadlock
//! instead of hanging.

// The stub leaves its parameters and imports unused until you fill it in.
#![allow(unused_imports, unused_variables, dead_code)]

use std::sync::{Condvar, Mutex, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use crate::errors::{AcquireError, ReleaseUnlocked};

/// A plain lock (`threading.Lock`): held by one thread at a time, not re-entrant. It
/// remembers which thread took it, only to tell a self-deadlock from a busy lock; as in
/// Python, any thread may release it. `with lock:` is [`Lock::hold`] (given, in
/// `guard.rs`).
///
/// Read: "Lock and RLock" and "A timed acquire" in this chapter.
#[derive(Debug, Default)]
pub struct Lock {
    // TODO: the holder (none when free) behind a mutex, and a condition variable for
    // the threads that wait for it.
}

impl Lock {
    /// A free lock.
    pub fn new() -> Lock {
        // TODO
        todo!()
    }

    /// `lock.acquire(timeout=...)`: takes the lock, sleeping at most `timeout` while
    /// another thread holds it.
    ///
    /// Guarantees: it returns holding the lock, or `TimedOut` once `timeout` has passed
    /// since the call: not before, and not much later, however often the lock is freed
    /// and taken again by other threads meanwhile.
    ///
    /// # Errors
    /// [`SelfDeadlock`](AcquireError::SelfDeadlock) at once, without waiting, when the
    /// calling thread holds the lock already: no release can come, since the only thread
    /// that would release it is the one waiting. [`TimedOut`](AcquireError::TimedOut) when
    /// another thread held it for the whole `timeout`.
    pub fn acquire_timeout(&self, timeout: Duration) -> Result<(), AcquireError> {
        // TODO: the self-deadlock first, at once (see `# Errors`). Then sleep while another
        // thread holds the lock. When this thread wakes, is the lock free? And how long may
        // it still sleep?
        todo!()
    }

    /// `lock.release()`: frees the lock and wakes one waiting thread. Any thread may
    /// release a plain lock, as in Python.
    ///
    /// # Errors
    /// [`ReleaseUnlocked`] if nobody holds it (Python: `RuntimeError: release unlocked
    /// lock`).
    pub fn release(&self) -> Result<(), ReleaseUnlocked> {
        // TODO
        todo!()
    }
}
