//! The CPU-bound work every version of this chapter shares, written for you. Each
//! call of [`Work::hash`] records who ran it, when and on which CPU, so the checks can
//! see how your version really ran, not only how long it took.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use timing::Activity;

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
    company: Option<Arc<Company>>,
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
        let _counted = self.company.as_deref().map(Company::arrive);
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
            company: Some(Arc::new(Company {
                wanted: workers,
                patience,
                state: Mutex::new(Meeting::default()),
                changed: Condvar::new(),
            })),
        }
    }

    /// The most calls of [`Work::hash`] that were running at the same moment, for work
    /// made by [`Work::waiting_for_company`] (0 for other work).
    pub fn most_at_once(&self) -> usize {
        self.company.as_deref().map_or(0, |c| c.lock().most)
    }
}

impl Default for Work {
    fn default() -> Work {
        Work::new()
    }
}

/// The waiting room of [`Work::waiting_for_company`].
#[derive(Debug)]
struct Company {
    wanted: usize,
    patience: Duration,
    state: Mutex<Meeting>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Meeting {
    inside: usize,
    most: usize,
    /// Since when the first call has been waiting, once one has.
    waiting_since: Option<Instant>,
    /// Set once `wanted` calls met, or once `patience` ran out: nobody waits again.
    over: bool,
}

impl Company {
    fn lock(&self) -> std::sync::MutexGuard<'_, Meeting> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts the caller in, waits for company if the meeting is not over yet, and
    /// returns the guard that counts it out.
    fn arrive(&self) -> Leaving<'_> {
        let mut meeting = self.lock();
        meeting.inside += 1;
        meeting.most = meeting.most.max(meeting.inside);
        if meeting.inside >= self.wanted {
            meeting.over = true;
            self.changed.notify_all();
        }
        let since = *meeting.waiting_since.get_or_insert_with(Instant::now);
        while !meeting.over {
            let left = self.patience.saturating_sub(since.elapsed());
            if left.is_zero() {
                meeting.over = true;
                self.changed.notify_all();
                break;
            }
            meeting = self
                .changed
                .wait_timeout(meeting, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        Leaving { company: self }
    }
}

/// Counts a call out of the waiting room when it ends.
struct Leaving<'a> {
    company: &'a Company,
}

impl Drop for Leaving<'_> {
    fn drop(&mut self) {
        self.company.lock().inside -= 1;
    }
}
