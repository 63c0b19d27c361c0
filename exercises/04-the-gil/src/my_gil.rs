//! Your GIL. The struct and its fields are given: they are CPython's. The methods are
//! yours to write, in the order `cargo xtask check 04` takes you through them:
//! `new` and the three small trait methods, then `take_gil` and `drop_gil`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use python_model::{DEFAULT_SWITCH_INTERVAL, DropRequest, Gil, ThreadId, ThreadState};

// ANCHOR: state
/// Our GIL. The fields follow CPython's `struct _gil_runtime_state`
/// (`Include/internal/pycore_gil.h`).
#[derive(Debug)]
pub struct MyGil {
    /// `gil->mutex`: guards everything in [`GilState`].
    state: Mutex<GilState>,
    /// `gil->cond`: signalled by `drop_gil` when the GIL is released; `take_gil` waits on it.
    released: Condvar,
    /// `gil->switch_cond`: signalled by `take_gil` when a thread took the GIL; a forced
    /// `drop_gil` waits on it.
    switched: Condvar,
    /// `gil_drop_request`, the flag the holder reads at every check point.
    drop_request: DropRequest,
    /// `gil->interval`: the switch interval, in microseconds as in CPython.
    interval_us: AtomicU64,
}

/// What `gil->mutex` guards.
#[derive(Debug, Default)]
struct GilState {
    /// `gil->locked`: a thread holds the GIL.
    locked: bool,
    /// `gil->last_holder`: the thread that took the GIL last (written again when it drops it).
    last_holder: Option<ThreadId>,
    /// `gil->switch_number`: how many times the holder changed.
    switch_number: u64,
}
// ANCHOR_END: state

impl MyGil {
    /// An unlocked GIL with CPython's default switch interval, 5 ms (`DEFAULT_INTERVAL` in
    /// `Python/ceval_gil.c`, the 0.005 that `sys.getswitchinterval()` returns): no holder
    /// yet, no switch counted, the drop request not set.
    ///
    /// Python: the GIL is made once, when the interpreter starts (`_PyEval_InitGIL`).
    pub fn new() -> Self {
        // TODO: build every field; `micros` below turns a `Duration` into the interval's unit.
        todo!("MyGil::new")
    }

    /// Locks `gil->mutex`. Every change to the state is complete before it is unlocked, so a
    /// lock poisoned by a panic elsewhere is still safe to use.
    fn lock(&self) -> MutexGuard<'_, GilState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for MyGil {
    fn default() -> Self {
        Self::new()
    }
}

/// A duration in whole microseconds, the unit CPython keeps the interval in.
fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

impl Gil for MyGil {
    /// CPython's `take_gil`: blocks until the calling thread holds the GIL.
    ///
    /// Must guarantee:
    /// - it returns only when this thread holds the GIL, and never while another does;
    /// - a thread waiting for the GIL sleeps (it burns no CPU while it waits);
    /// - a waiter sets the drop request only after a whole switch interval during which
    ///   the GIL stayed held and did not change hands; a wait cut short, or one during
    ///   which another thread took the GIL, starts a fresh interval;
    /// - only a change of holder counts as a switch (taking it back after one's own
    ///   blocking call is not one), and the request is cleared by every take;
    /// - a holder waiting in a forced `drop_gil` learns that the GIL was taken.
    ///
    /// Read "How CPython hands the GIL over" and "Building it in Rust".
    fn take_gil(&self, tstate: &ThreadState) {
        // TODO: the waiting loop, then become the holder. Why a loop and not one wait?
        todo!("take_gil")
    }

    /// CPython's `drop_gil`: releases the GIL and wakes one waiter.
    ///
    /// Must guarantee:
    /// - the GIL is free when this returns, and one waiter (if any) is woken;
    /// - when the drop request is set (a forced switch, or a release around a blocking call
    ///   while a request is pending: `PyEval_SaveThread` passes its thread state, 3.11 to
    ///   3.14), it returns only once another thread has taken the GIL;
    /// - with no request pending it waits for nobody.
    ///
    /// A thread's last release uses the trait's provided `drop_gil_final`, which calls this.
    fn drop_gil(&self, tstate: &ThreadState) {
        // TODO: release and wake; then, if asked to drop, wait for a successor. Why must a
        // forced drop wait at all, on a machine with more than one core?
        todo!("drop_gil")
    }

    /// A handle to the drop request (CPython's `gil_drop_request` in the eval breaker):
    /// the interpreter keeps it and reads it at every check point. Every handle shows the
    /// one flag that `take_gil` sets.
    fn drop_request(&self) -> DropRequest {
        todo!("drop_request")
    }

    /// `sys.getswitchinterval()`.
    fn switch_interval(&self) -> Duration {
        todo!("switch_interval")
    }

    /// `sys.setswitchinterval()`: waits that start from now use `interval`.
    fn set_switch_interval(&self, interval: Duration) {
        todo!("set_switch_interval")
    }
}
