//! The mistake: a barrier that counts arrivals and nothing else; the waiters wait
//! for the count to reach `parties`, which it never shows them.
//!
//! A meeting point for a fixed number of threads: Python's `threading.Barrier`.

use std::sync::{Condvar, PoisonError};

use crate::shared::Shared;

/// `parties` threads call `wait`; nobody leaves until the last one arrives, then all
/// leave together and the barrier is ready for the next round.
#[derive(Debug)]
pub struct Barrier {
    state: Shared<Round>,
    all_arrived: Condvar,
    parties: usize,
}

/// Where the current round stands.
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

    /// Waits until all parties have called `wait` in this round, and returns this
    /// thread's arrival index, 0 for the first to arrive to `parties - 1` for the last,
    /// as Python's `barrier.wait()` does.
    pub fn wait(&self) -> usize {
        let mut round = self.state.lock();
        let index = round.arrived;
        round.arrived += 1;
        if round.arrived == self.parties {
            round.arrived = 0;
            self.all_arrived.notify_all();
            return index;
        }
        // The mistake: the waiters wait for the count, which the last arrival has set
        // back to zero by the time they hold the mutex again.
        while round.arrived < self.parties {
            round = self
                .all_arrived
                .wait(round)
                .unwrap_or_else(PoisonError::into_inner);
        }
        index
    }

    /// How many threads each round waits for (`barrier.parties`).
    pub fn parties(&self) -> usize {
        self.parties
    }
}
