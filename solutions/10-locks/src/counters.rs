//! A counter many threads add to at once, two ways that lose no update.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

/// A counter on one atomic integer: an increment is a single read-modify-write that no
/// other thread can cut in two (`fetch_add`).
#[derive(Debug, Default)]
pub struct AtomicCounter {
    count: AtomicU64,
}

impl AtomicCounter {
    /// A counter at 0.
    pub fn new() -> AtomicCounter {
        AtomicCounter::default()
    }

    /// Adds 1; safe to call from many threads at once.
    pub fn increment(&self) {
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    /// The count now.
    pub fn get(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }
}

/// A counter behind a `Mutex`: Python's `with lock: counter += 1`, where the lock owns the
/// data, so the count cannot be touched without holding it.
#[derive(Debug, Default)]
pub struct MutexCounter {
    count: Mutex<u64>,
}

impl MutexCounter {
    /// A counter at 0.
    pub fn new() -> MutexCounter {
        MutexCounter::default()
    }

    /// Adds 1 while holding the mutex; safe to call from many threads at once.
    pub fn increment(&self) {
        *self.count.lock().unwrap_or_else(PoisonError::into_inner) += 1;
    }

    /// The count now.
    pub fn get(&self) -> u64 {
        *self.count.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
