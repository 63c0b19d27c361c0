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
//! - [`Gil::drop_gil`] at a check point that saw the drop request, around a blocking call,
//!   and when a thread ends. Release and wake one waiter. If the drop request is set
//!   (forced switching), clear it and wait until another thread has taken the GIL, so the
//!   dropper cannot grab it straight back.
//!
//! The interpreter never calls `take_gil` twice without a `drop_gil` in between on the same
//! thread, and only the holder calls `drop_gil`.

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
/// `take_gil` returning and its `drop_gil` being called; a thread waiting in `take_gil`
/// sets the drop request after about one switch interval without a switch; a `drop_gil`
/// that finds the drop request set returns only once another thread has taken the GIL.
pub trait Gil: Send + Sync {
    /// Blocks until the calling thread holds the GIL (CPython's `take_gil`).
    fn take_gil(&self, tstate: &ThreadState);

    /// Releases the GIL held by the calling thread and wakes one waiter; when the drop
    /// request is set, clears it and returns only after another thread has taken the GIL
    /// (CPython's `drop_gil` with `FORCE_SWITCHING`).
    fn drop_gil(&self, tstate: &ThreadState);

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
