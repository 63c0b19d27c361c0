//! The CPU-bound work every version of this chapter shares, written for you. Each
//! call of [`Work::hash`] records who ran it, when and on which CPU, so the checks can
//! see how your version really ran, not only how long it took.

use std::sync::Arc;
use std::time::Duration;

use timing::{Activity, Meeting};

/// Turns of the loop in one [`Work::hash`] by default: about 0.35 ms in a debug
/// build and 70 µs in a release build on the course's machine, long enough that
/// recording each call costs a few percent of it at most.
pub const TURNS_PER_ITEM: u64 = 2_000;

/// CPU-bound work on `u64` items, watched.
///
/// Cloning is cheap and shares the record, so a clone can go to another thread.
#[derive(Clone, Debug)]
pub struct Work {
    turns: u64,
    activity: Activity,
    company: Option<Arc<Meeting>>,
}

impl Work {
    /// Work of [`TURNS_PER_ITEM`] turns per item.
    pub fn new() -> Work {
        Work::with_turns(TURNS_PER_ITEM)
    }

    /// Work of `turns` turns per item.
    pub fn with_turns(turns: u64) -> Work {
        Work {
            turns,
            activity: Activity::new(),
            company: None,
        }
    }

    /// The CPU-bound function: `turns` rounds of a multiply-and-shift hash, started
    /// from `item`. The same item always gives the same hash; there is nothing to
    /// wait for, only arithmetic.
    pub fn hash(&self, item: u64) -> u64 {
        let _recorded = self.activity.enter();
        let _counted = self.company.as_deref().map(Meeting::arrive);
        let mut x = item;
        for i in 0..self.turns {
            // One turn of the Python loop the course's runtime model runs.
            x = python_model::work::step(x, i);
        }
        x
    }

    /// Turns per item.
    pub fn turns_per_item(&self) -> u64 {
        self.turns
    }

    /// The record of every call of [`Work::hash`]: when, on which CPU, for how long.
    pub fn activity(&self) -> &Activity {
        &self.activity
    }

    /// A copy of this work that waits for company: until `workers` calls of
    /// [`Work::hash`] are running at the same moment, each call waits for the others,
    /// at most `patience` in all. A version that runs its items on several threads
    /// meets at once; one that runs them one at a time is seen to, on any machine,
    /// busy or not. The checks use it; it changes no hash.
    pub fn waiting_for_company(&self, workers: usize, patience: Duration) -> Work {
        Work {
            turns: self.turns,
            activity: Activity::new(),
            company: Some(Arc::new(Meeting::new(workers, patience))),
        }
    }

    /// The most calls of [`Work::hash`] that were running at the same moment, for work
    /// made by [`Work::waiting_for_company`] (0 for other work).
    pub fn most_at_once(&self) -> usize {
        self.company.as_deref().map_or(0, Meeting::most)
    }
}

impl Default for Work {
    fn default() -> Work {
        Work::new()
    }
}
