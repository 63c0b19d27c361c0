//! A counter many threads add to at once, two ways that lose no update.

/// A counter on one atomic integer: an increment is a single read-modify-write that no
/// other thread can cut in two (`fetch_add`).
#[derive(Debug, Default)]
pub struct AtomicCounter {
    // TODO: one field, a `std::sync::atomic::AtomicU64`.
}

impl AtomicCounter {
    /// A counter at 0.
    pub fn new() -> AtomicCounter {
        // TODO
        todo!()
    }

    /// Adds 1; safe to call from many threads at once.
    pub fn increment(&self) {
        // TODO: `fetch_add(1, Ordering::Relaxed)`. Relaxed is enough: nothing else is
        // published through this counter, and the threads are joined before it is read.
        // A `load` then a `store` would be Python's `counter = counter + 1`: two steps.
        todo!()
    }

    /// The count now.
    pub fn get(&self) -> u64 {
        // TODO
        todo!()
    }
}

/// A counter behind a `Mutex`: Python's `with lock: counter += 1`, where the lock owns the
/// data, so the count cannot be touched without holding it.
#[derive(Debug, Default)]
pub struct MutexCounter {
    // TODO: one field, a `std::sync::Mutex<u64>`.
}

impl MutexCounter {
    /// A counter at 0.
    pub fn new() -> MutexCounter {
        // TODO
        todo!()
    }

    /// Adds 1 while holding the mutex; safe to call from many threads at once.
    pub fn increment(&self) {
        // TODO: lock, add 1 through the guard, let the guard go. `lock()` returns `Err`
        // only if a thread panicked while holding it; the count is still right then, so
        // take it anyway: `.unwrap_or_else(PoisonError::into_inner)`.
        todo!()
    }

    /// The count now.
    pub fn get(&self) -> u64 {
        // TODO
        todo!()
    }
}
