//! A GIL wrapper that watches any [`Gil`] implementation from the outside: how many threads
//! held it at once, and whether a forced drop really handed it to someone else.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::gil::{DropRequest, Gil};
use crate::thread::ThreadState;
use crate::trace::ThreadId;

/// Wraps a GIL and counts, without changing what it does. Build an interpreter on it with
/// `Interpreter::builder().gil(audited.clone())`, run threads, then read [`AuditedGil::report`].
pub struct AuditedGil {
    inner: Arc<dyn Gil>,
    request: DropRequest,
    holders: AtomicUsize,
    max_holders: AtomicUsize,
    takes: AtomicU64,
    forced_drops: AtomicU64,
    handoffs: AtomicU64,
    regrabs: AtomicU64,
    last_drop: Mutex<Option<(ThreadId, bool)>>,
}

/// What an [`AuditedGil`] saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AuditReport {
    /// Completed `take_gil` calls.
    pub takes: u64,
    /// The most threads that were between `take_gil` returning and `drop_gil` being called
    /// at the same time. A correct GIL: 1.
    pub max_holders: usize,
    /// `drop_gil` calls made while the drop request was set (at a check point or around a
    /// blocking call; a thread's final release is not counted).
    pub forced_drops: u64,
    /// Forced drops after which another thread took the GIL next.
    pub handoffs: u64,
    /// Forced drops after which the same thread took the GIL back first. A correct GIL: 0.
    pub regrabs: u64,
}

impl AuditedGil {
    /// Watches `inner`.
    pub fn new(inner: Arc<dyn Gil>) -> Self {
        let request = inner.drop_request();
        AuditedGil {
            inner,
            request,
            holders: AtomicUsize::new(0),
            max_holders: AtomicUsize::new(0),
            takes: AtomicU64::new(0),
            forced_drops: AtomicU64::new(0),
            handoffs: AtomicU64::new(0),
            regrabs: AtomicU64::new(0),
            last_drop: Mutex::new(None),
        }
    }

    /// Records a release by `tstate` (forced or not) before the inner GIL sees it.
    fn note_drop(&self, tstate: &ThreadState, forced: bool) {
        *self
            .last_drop
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some((tstate.id(), forced));
        self.holders.fetch_sub(1, Ordering::SeqCst);
    }

    /// The counts so far.
    pub fn report(&self) -> AuditReport {
        AuditReport {
            takes: self.takes.load(Ordering::SeqCst),
            max_holders: self.max_holders.load(Ordering::SeqCst),
            forced_drops: self.forced_drops.load(Ordering::SeqCst),
            handoffs: self.handoffs.load(Ordering::SeqCst),
            regrabs: self.regrabs.load(Ordering::SeqCst),
        }
    }
}

impl Gil for AuditedGil {
    fn take_gil(&self, tstate: &ThreadState) {
        self.inner.take_gil(tstate);
        let now = self.holders.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_holders.fetch_max(now, Ordering::SeqCst);
        self.takes.fetch_add(1, Ordering::SeqCst);
        let last = self
            .last_drop
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some((dropper, true)) = last {
            if dropper == tstate.id() {
                self.regrabs.fetch_add(1, Ordering::SeqCst);
            } else {
                self.handoffs.fetch_add(1, Ordering::SeqCst);
            }
        }
    }

    fn drop_gil(&self, tstate: &ThreadState) {
        let forced = self.request.is_set();
        if forced {
            self.forced_drops.fetch_add(1, Ordering::SeqCst);
        }
        self.note_drop(tstate, forced);
        self.inner.drop_gil(tstate);
    }

    fn drop_gil_final(&self, tstate: &ThreadState) {
        // A thread's last release is never a forced switch: the thread cannot take the GIL
        // back, whatever the request says.
        self.note_drop(tstate, false);
        self.inner.drop_gil_final(tstate);
    }

    fn drop_request(&self) -> DropRequest {
        self.request.clone()
    }

    fn switch_interval(&self) -> Duration {
        self.inner.switch_interval()
    }

    fn set_switch_interval(&self, interval: Duration) {
        self.inner.set_switch_interval(interval);
    }
}
