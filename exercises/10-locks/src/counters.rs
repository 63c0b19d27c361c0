//! A counter many threads add to at once, two ways that lose no update.

// The stub leaves its parameters and imports unused until you fill it in.
#![allow(unused_imports, dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

/// A counter on one atomic integer: each increment is one indivisible read-modify-write,
/// so no other thread can come between its read and its write.
///
/// Python has no atomic integers; its nearest is `counter += 1` under a lock.
/// Read: "Two ways to make it legal" in this chapter, and the primer's atomics.
#[derive(Debug, Default)]
pub struct AtomicCounter {
    // TODO: the count, as an atomic integer.
}

impl AtomicCounter {
    /// A counter at 0.
    pub fn new() -> AtomicCounter {
        // TODO
        todo!()
    }

    /// Adds 1; safe to call from many threads at once, and no increment is ever lost.
    pub fn increment(&self) {
        // TODO: what could another thread do between a load and a store? Which ordering
        // is enough? Nothing else is published through this counter, and the threads are
        // joined before it is read.
        todo!()
    }

    /// The count now.
    pub fn get(&self) -> u64 {
        // TODO
        todo!()
    }
}

/// A counter behind a mutex: Python's `with lock: counter += 1`, except that here the
/// lock owns the count, so there is no way to touch it without holding the lock.
///
/// Read: "Two ways to make it legal" in this chapter, and the primer's `Mutex` and guards.
#[derive(Debug, Default)]
pub struct MutexCounter {
    // TODO: the count, inside a mutex.
}

impl MutexCounter {
    /// A counter at 0.
    pub fn new() -> MutexCounter {
        // TODO
        todo!()
    }

    /// Adds 1 while holding the mutex; safe to call from many threads at once.
    pub fn increment(&self) {
        // TODO: Python's `with lock: counter += 1`. A poisoned mutex (a thread panicked
        // while holding it) still holds a right count here: take it anyway rather than
        // panic.
        todo!()
    }

    /// The count now.
    pub fn get(&self) -> u64 {
        // TODO
        todo!()
    }
}
