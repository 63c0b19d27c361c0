//! Python's plain `threading.Lock`, with a timed acquire that reports a self-deadlock
//! instead of hanging.

use std::sync::{Condvar, Mutex, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use crate::errors::{AcquireError, ReleaseUnlocked};

/// A plain lock (`threading.Lock`): held by one thread at a time, not re-entrant. It
/// remembers which thread took it, only to tell a self-deadlock from a busy lock; as in
/// Python, any thread may release it. `with lock:` is [`Lock::hold`] (given, in
/// `guard.rs`).
#[derive(Debug, Default)]
pub struct Lock {
    // TODO: a `Mutex` around the holder (`Option<ThreadId>`: `None` when free), and a
    // `Condvar` that waiting threads sleep on.
}

impl Lock {
    /// A free lock.
    pub fn new() -> Lock {
        // TODO
        todo!()
    }

    /// `lock.acquire(timeout=...)`: takes the lock, waiting at most `timeout` for another
    /// thread to release it.
    ///
    /// # Errors
    /// [`AcquireError::SelfDeadlock`] at once, without waiting, when the calling thread
    /// holds the lock already: no release can come, since the only thread that would
    /// release it is the one waiting. [`AcquireError::TimedOut`] when another thread held
    /// it for the whole `timeout`.
    pub fn acquire_timeout(&self, timeout: Duration) -> Result<(), AcquireError> {
        // TODO: lock the state. If the holder is this thread: `Err(SelfDeadlock)`. Then,
        // with a deadline of `Instant::now() + timeout`, wait while some thread holds it:
        // `self.<condvar>.wait_timeout(state, deadline - now)` (wake-ups can come early or
        // for nothing, so loop and recompute what is left); past the deadline,
        // `Err(TimedOut(timeout))`. Once free, record this thread as the holder.
        todo!()
    }

    /// `lock.release()`: frees the lock and wakes one waiting thread. Any thread may
    /// release a plain lock, as in Python.
    ///
    /// # Errors
    /// [`ReleaseUnlocked`] if nobody holds it.
    pub fn release(&self) -> Result<(), ReleaseUnlocked> {
        // TODO
        todo!()
    }
}
