//! A meeting point for a fixed number of threads: Python's `threading.Barrier`.

// The stub leaves its fields and parameters unused until you fill it in.
#![allow(dead_code, unused_imports, unused_variables)]

use std::sync::{Condvar, PoisonError};

use crate::shared::Shared;

/// `parties` threads call `wait`; nobody leaves until the last one arrives, then all
/// leave together and the barrier is ready for the next round.
///
/// Python: `threading.Barrier(parties)`. Rust's own `std::sync::Barrier` does the same;
/// here you build it.
///
/// Read: "Sleeping until something changes", and the exercise page on rounds.
#[derive(Debug)]
pub struct Barrier {
    state: Shared<Round>,
    all_arrived: Condvar,
    parties: usize,
}

/// Where the current round stands. Add what your `wait` needs to know.
#[derive(Debug, Default)]
struct Round {
    /// Threads that have arrived in this round.
    arrived: usize,
}

impl Barrier {
    /// A barrier for `parties` threads (`threading.Barrier(parties)`).
    ///
    /// # Panics
    /// If `parties` is 0.
    pub fn new(parties: usize) -> Barrier {
        assert!(parties > 0, "a barrier needs at least one party");
        Barrier {
            state: Shared::new(Round::default()),
            all_arrived: Condvar::new(),
            parties,
        }
    }

    /// Sleeps until all parties have called `wait` in this round, and returns this
    /// thread's arrival index, 0 for the first to arrive to `parties - 1` for the last,
    /// as Python's `barrier.wait()` does.
    ///
    /// Guarantees: nobody leaves a round before its last party arrives; every waiter of
    /// the round leaves then; the same barrier works round after round.
    pub fn wait(&self) -> usize {
        // TODO: count yourself in; the last to arrive ends the round. Before you write
        // the others' wait, ask: what does a waiter look at when it wakes up, and is it
        // still true by then, once the barrier is ready for the next round?
        todo!()
    }

    /// How many threads each round waits for (`barrier.parties`).
    pub fn parties(&self) -> usize {
        self.parties
    }
}
