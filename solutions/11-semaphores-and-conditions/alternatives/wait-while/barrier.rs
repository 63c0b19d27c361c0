//! A reusable barrier, its wait through `Condvar::wait_while`.

use std::sync::{Condvar, PoisonError};

use crate::shared::Shared;

/// `parties` threads meet here, round after round (`threading.Barrier`).
#[derive(Debug)]
pub struct Barrier {
    state: Shared<Round>,
    all_arrived: Condvar,
    parties: usize,
}

#[derive(Debug, Default)]
struct Round {
    arrived: usize,
    generation: u64,
}

impl Barrier {
    /// A barrier for `parties` threads.
    pub fn new(parties: usize) -> Barrier {
        assert!(parties > 0, "a barrier needs at least one party");
        Barrier {
            state: Shared::new(Round::default()),
            all_arrived: Condvar::new(),
            parties,
        }
    }

    /// Sleeps until all parties of this round arrived; returns the arrival index.
    pub fn wait(&self) -> usize {
        let mut round = self.state.lock();
        let index = round.arrived;
        let mine = round.generation;
        round.arrived += 1;
        if round.arrived < self.parties {
            let _over = self
                .all_arrived
                .wait_while(round, |round| round.generation == mine)
                .unwrap_or_else(PoisonError::into_inner);
        } else {
            *round = Round {
                arrived: 0,
                generation: mine + 1,
            };
            drop(round);
            self.all_arrived.notify_all();
        }
        index
    }

    /// How many threads each round waits for.
    pub fn parties(&self) -> usize {
        self.parties
    }
}
