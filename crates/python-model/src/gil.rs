//! The GIL as a small trait, so that the interpreter can run on the reference GIL
//! ([`ReferenceGil`](crate::ReferenceGil)) or on one a learner writes (chapter 04).
//!
//! # Implementing [`Gil`]
//!
//! A GIL is about a hundred lines with `std::sync::{Mutex, Condvar}`. It keeps, under one
//! mutex: whether it is locked, the last holder, and a switch counter. It owns a
//! [`DropRequest`], the flag the running thread reads at every check point. The interpreter
//! calls:
//!
//! - [`Gil::take_gil`] when a thread starts, after a blocking call, and after it answered a
//!   drop request. While the GIL is held, wait on a condition variable with a timeout of
//!   the switch interval; when a wait times out and no switch happened meanwhile, set the
//!   drop request. Then take it (`locked = true`, update the last holder, count a switch
//!   when the holder changed, wake a thread waiting for the switch) and clear the request.
//! - [`Gil::drop_gil`] at a check point that saw the drop request and around every blocking
//!   call. Release and wake one waiter. If the drop request is set (forced switching),
//!   clear it and wait until another thread has taken the GIL, so the dropper cannot grab
//!   it straight back. This holds for a release around a blocking call too: CPython's
//!   `Py_BEGIN_ALLOW_THREADS` calls `PyEval_SaveThread`, which hands `drop_gil` the
//!   thread state, and `drop_gil` waits whenever it has one and the request is set
//!   (`Python/ceval_gil.h` in 3.11, `Python/ceval_gil.c` from 3.12). Without a request
//!   pending, a release waits for nobody.
//! - [`Gil::drop_gil_final`] when a thread ends: its last release. CPython 3.12 and later
//!   skip the wait there (3.12 calls `drop_gil` without a thread state, 3.13 and 3.14 pass
//!   `final_release`); 3.11 passes the thread state and waits as in any release. The
//!   provided method calls `drop_gil`, 3.11's behaviour; [`ReferenceGil`](crate::ReferenceGil)
//!   overrides it with 3.12's.
//!
//! The interpreter never calls `take_gil` twice without a drop in between on the same
//! thread, and only the holder drops.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::thread::ThreadState;
use crate::trace::EventKind;

/// CPython's default switch interval, `sys.getswitchinterval() == 0.005`
/// (`DEFAULT_INTERVAL` in `Python/ceval_gil.c`, in microseconds there).
pub const DEFAULT_SWITCH_INTERVAL: Duration = Duration::from_millis(5);

/// A global interpreter lock the model's interpreter runs against.
///
/// Implementations must guarantee: at most one thread holds the GIL between its
/// `take_gil` returning and its `drop_gil` (or `drop_gil_final`) being called; a thread
/// waiting in `take_gil` sets the drop request after about one switch interval without a
/// switch; a `drop_gil` that finds the drop request set returns only once another thread
/// has taken the GIL, whatever the reason for the release (a check point or a blocking
/// call).
pub trait Gil: Send + Sync {
    /// Blocks until the calling thread holds the GIL (CPython's `take_gil`).
    fn take_gil(&self, tstate: &ThreadState);

    /// Releases the GIL held by the calling thread and wakes one waiter; when the drop
    /// request is set, clears it and returns only after another thread has taken the GIL
    /// (CPython's `drop_gil` with `FORCE_SWITCHING`). Called at a check point that saw the
    /// request and around every blocking call (`PyEval_SaveThread`), which waits too when
    /// a request is pending.
    fn drop_gil(&self, tstate: &ThreadState);

    /// The calling thread's last release, when it ends. CPython 3.12+ releases and wakes
    /// one waiter without waiting for a successor, whatever the drop request says
    /// (`_PyThreadState_DeleteCurrent` calls `_PyEval_ReleaseLock` with no thread state in
    /// 3.12, with `final_release` set in 3.13 and 3.14). The provided method calls
    /// [`Gil::drop_gil`], which is what CPython 3.11 does (its `_PyEval_ReleaseLock`
    /// passes the thread state, so the exiting thread waits when a request is pending).
    fn drop_gil_final(&self, tstate: &ThreadState) {
        self.drop_gil(tstate);
    }

    /// A handle to this GIL's drop request, the flag every check point reads. The
    /// interpreter asks once per thread and keeps the handle.
    fn drop_request(&self) -> DropRequest;

    /// How long a waiter waits before it sets the drop request (`sys.getswitchinterval()`).
    fn switch_interval(&self) -> Duration;

    /// Changes the switch interval for waits that start from now (`sys.setswitchinterval()`).
    fn set_switch_interval(&self, interval: Duration);
}

/// The drop request, CPython's `gil_drop_request` folded into the eval breaker: set by a
/// waiter, read by the holder at check points with a relaxed atomic load, cleared by the
/// GIL. Cloning gives another handle to the same flag.
#[derive(Clone, Debug, Default)]
pub struct DropRequest {
    flag: Arc<AtomicBool>,
}

impl DropRequest {
    /// A new flag, not set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the holder to drop the GIL at its next check point (`SET_GIL_DROP_REQUEST`);
    /// records a `DropRequest` event for `by`, the waiter that asks.
    pub fn set(&self, by: &ThreadState) {
        // Recorded first, so that the holder's answering Drop never precedes it in the trace.
        by.record(EventKind::DropRequest);
        self.flag.store(true, Ordering::Relaxed);
    }

    /// Withdraws the request (`RESET_GIL_DROP_REQUEST`).
    pub fn clear(&self) {
        self.flag.store(false, Ordering::Relaxed);
    }

    /// Whether a drop was requested: one relaxed load, what a check point costs.
    #[inline(always)]
    pub fn is_set(&self) -> bool {
        self.flag.load(Ordering::Relaxed)
    }
}
