//! Given: a counter of how many waits are under way at once, and the most there ever were.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts the guards alive right now and remembers the highest count reached. Cloning
/// gives another handle to the same counter.
#[derive(Clone, Debug, Default)]
pub struct InFlight {
    counts: Arc<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    now: AtomicUsize,
    peak: AtomicUsize,
}

/// One wait under way; the count goes down when it is dropped.
#[derive(Debug)]
#[must_use = "the wait counts as under way only while its guard is alive"]
pub struct InFlightGuard {
    counts: Arc<Counts>,
}

impl InFlight {
    /// A counter at zero.
    pub fn new() -> InFlight {
        InFlight::default()
    }

    /// Counts one more wait under way until the guard is dropped. Call it inside the
    /// task, right before its wait: `let _busy = in_flight.enter();`.
    pub fn enter(&self) -> InFlightGuard {
        let now = self.counts.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.counts.peak.fetch_max(now, Ordering::SeqCst);
        InFlightGuard {
            counts: Arc::clone(&self.counts),
        }
    }

    /// How many guards are alive right now.
    pub fn now(&self) -> usize {
        self.counts.now.load(Ordering::SeqCst)
    }

    /// The most guards that were ever alive at once (since the last [`InFlight::reset_peak`]).
    pub fn peak(&self) -> usize {
        self.counts.peak.load(Ordering::SeqCst)
    }

    /// Forgets the peak: from now on it counts from the guards alive right now.
    pub fn reset_peak(&self) {
        self.counts.peak.store(self.now(), Ordering::SeqCst);
    }
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        self.counts.now.fetch_sub(1, Ordering::SeqCst);
    }
}
