//! Given: the mutex every type of this chapter keeps its state in.
//!
//! `Shared<T>` is a `std::sync::Mutex<T>` with one difference the checks use: when they
//! ask for it ([`widen_races`]), every `lock()` first sleeps a few microseconds. Code that
//! looks at the state under one lock and acts on it under another (unlock, lock again)
//! has a gap in between where another thread can change the state; on a real machine
//! that gap is so short that a race through it shows up once in a million tries. The
//! pause puts it in reach of a check that runs a few hundred times. Code that looks and
//! acts under one lock is only slowed down.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

/// Whether each `lock()` pauses first (the checks turn it on).
static WIDEN: AtomicBool = AtomicBool::new(false);

/// How long a `lock()` pauses when the checks widen the races.
const PAUSE: Duration = Duration::from_micros(30);

/// Used by the checks: from now on, every [`Shared::lock`] in this process pauses a few
/// microseconds before it locks (`true`), or no longer does (`false`).
pub fn widen_races(on: bool) {
    WIDEN.store(on, Ordering::SeqCst);
}

/// State shared by threads, behind a mutex. Python: the lock inside a
/// `threading.Condition`.
#[derive(Debug, Default)]
pub struct Shared<T> {
    state: Mutex<T>,
}

impl<T> Shared<T> {
    /// `value`, behind a new mutex.
    pub fn new(value: T) -> Shared<T> {
        Shared {
            state: Mutex::new(value),
        }
    }

    // ANCHOR: lock
    /// Locks the state and returns its guard, as `Mutex::lock` does; the state is
    /// unlocked when the guard is dropped. Hand the guard to `Condvar::wait` (and its
    /// relatives) as you would a `Mutex`'s. A mutex poisoned by a thread that panicked
    /// while holding it is locked anyway: the state itself is still whole here.
    pub fn lock(&self) -> MutexGuard<'_, T> {
        if WIDEN.load(Ordering::Relaxed) {
            thread::sleep(PAUSE);
        }
        match self.state.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
    // ANCHOR_END: lock
}
