//! Threads: one process, one memory.

use std::collections::HashMap;
use std::sync::Mutex;
use std::thread::{self, ThreadId};

/// State that several threads update: a running total and how many updates
/// each thread made.
#[derive(Debug, Default)]
pub struct Tally {
    /// Every update adds one to it.
    pub total: u64,
    /// The number of updates made by each thread.
    pub by_thread: HashMap<ThreadId, u64>,
}

/// Starts `threads` threads that each make `per_thread` updates to `shared`
/// and returns once all of them have finished. No update is lost.
pub fn add_from_threads(shared: &Mutex<Tally>, threads: usize, per_thread: u64) {
    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let me = thread::current().id();
                for _ in 0..per_thread {
                    // One lock for the whole read-modify-write of both fields.
                    let mut tally = shared.lock().expect("a thread panicked while updating");
                    tally.total += 1;
                    *tally.by_thread.entry(me).or_insert(0) += 1;
                }
            });
        }
    });
}
