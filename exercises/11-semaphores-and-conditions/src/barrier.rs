//! A meeting point for a fixed number of threads: Python's `threading.Barrier`.

// The stub leaves its fields and parameters unused until you fill it in.
#![allow(dead_code, unused_imports, unused_variables)]

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// `parties` threads call `wait`; nobody leaves until the last one arrives, then all
/// leave together and the barrier is ready for the next round.
#[derive(Debug)]
pub struct Barrier {
    state: Mutex<Round>,
    all_arrived: Condvar,
    parties: usize,
}

/// Where the current round stands.
#[derive(Debug, Default)]
struct Round {
    /// Threads that have arrived in this round.
    arrived: usize,
    /// How many rounds have ended: a waiter leaves when this moves past its round.
    generation: u64,
}

impl Barrier {
    /// A barrier for `parties` threads (`threading.Barrier(parties)`).
    ///
    /// # Panics
    /// If `parties` is 0.
    pub fn new(parties: usize) -> Barrier {
        assert!(parties > 0, "a barrier needs at least one party");
        Barrier {
            state: Mutex::new(Round::default()),
            all_arrived: Condvar::new(),
            parties,
        }
    }

    /// Waits until all parties have called `wait` in this round, and returns this
    /// thread's arrival index, 0 for the first to arrive to `parties - 1` for the last,
    /// as Python's `barrier.wait()` does.
    pub fn wait(&self) -> usize {
        // TODO: lock `self.state`; your index is `arrived` before you add yourself.
        // - If you are the last (`arrived == parties` after adding yourself): start the
        //   next round (`arrived = 0`, `generation += 1`) and wake every waiter with
        //   `notify_all`, then return.
        // - Otherwise remember the generation you arrived in, and wait on
        //   `self.all_arrived` `while` it has not changed. Waiting for `arrived ==
        //   parties` instead would fail from the second round on: the last one resets
        //   the count before the others wake up.
        todo!()
    }

    /// How many threads each round waits for (`barrier.parties`).
    pub fn parties(&self) -> usize {
        self.parties
    }
}
