//! Two counters: SeqCst increments, and a mutex locked through a helper.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// A counter on one atomic integer.
#[derive(Debug, Default)]
pub struct AtomicCounter(AtomicU64);

impl AtomicCounter {
    /// A counter at 0.
    pub fn new() -> AtomicCounter {
        AtomicCounter(AtomicU64::new(0))
    }

    /// Adds 1 (`SeqCst`: stronger than needed, and still right).
    pub fn increment(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    /// The count now.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// A counter behind a mutex.
#[derive(Debug, Default)]
pub struct MutexCounter(Mutex<u64>);

impl MutexCounter {
    /// A counter at 0.
    pub fn new() -> MutexCounter {
        MutexCounter(Mutex::new(0))
    }

    fn count(&self) -> MutexGuard<'_, u64> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds 1 under the mutex.
    pub fn increment(&self) {
        let mut count = self.count();
        *count = count.wrapping_add(1);
    }

    /// The count now.
    pub fn get(&self) -> u64 {
        *self.count()
    }
}
