//! Threads: scoped, with their handles joined by hand.

use std::collections::HashMap;
use std::sync::Mutex;
use std::thread::{self, ThreadId};

/// State that several threads update.
#[derive(Debug, Default)]
pub struct Tally {
    /// Every update adds one to it.
    pub total: u64,
    /// The number of updates made by each thread.
    pub by_thread: HashMap<ThreadId, u64>,
}

/// Starts `threads` threads that each make `per_thread` updates to `shared`.
pub fn add_from_threads(shared: &Mutex<Tally>, threads: usize, per_thread: u64) {
    thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(move || {
                    let mut left = per_thread;
                    while left > 0 {
                        let mut guard = shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                        guard.total += 1;
                        let mine = guard.by_thread.entry(thread::current().id()).or_default();
                        *mine += 1;
                        drop(guard);
                        left -= 1;
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().expect("an updating thread panicked");
        }
    });
}
