//! Exercise 04: the GIL.
//!
//! You write CPython's global interpreter lock, the one in `Python/ceval_gil.c`, as a
//! type of your own, [`MyGil`], that implements the model's [`Gil`] trait. The checks
//! plug it into the model's interpreter with
//! `Interpreter::builder().gil(Arc::new(MyGil::new()))`, run Python threads on it
//! (CPU-bound loops, blocking calls) and watch it from the outside.
//!
//! How the interpreter uses your GIL:
//! - a Python thread calls `take_gil` when it starts, after every blocking call, and
//!   right after it answered a drop request;
//! - it calls `drop_gil` around every blocking call (`py.blocking(..)`, `py.sleep(..)`),
//!   when it ends, and at a check point (the back-edge of a loop) that finds the drop
//!   request set;
//! - it never calls `take_gil` twice without a `drop_gil` in between, and only the
//!   holder calls `drop_gil`.
//!
//! Replace every `todo!()` below, then run `cargo xtask check 04`.

// The stubs leave their parameters, imports and fields unused until you fill them in;
// delete this line when you are done if you want the warnings back.
#![allow(unused_variables, unused_imports, dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use python_model::{DEFAULT_SWITCH_INTERVAL, DropRequest, Gil, ThreadId, ThreadState};

// ANCHOR: state
/// Your GIL. The fields follow CPython's `struct _gil_runtime_state`
/// (`Include/internal/pycore_gil.h`); change them if you like, the checks only
/// use the `Gil` trait.
#[derive(Debug)]
pub struct MyGil {
    /// `gil->mutex`: guards everything in `GilState`.
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
    /// `Python/ceval_gil.c`, the 0.005 that `sys.getswitchinterval()` returns).
    pub fn new() -> Self {
        // TODO: build a `MyGil`: `Mutex::new(GilState::default())` (unlocked, no holder
        // yet, no switch so far), two `Condvar::new()`, a `DropRequest::new()`, and
        // `interval_us` holding `DEFAULT_SWITCH_INTERVAL` in microseconds
        // (`AtomicU64::new(...)`; `Duration::as_micros` gives a u128).
        todo!()
    }
}

impl Default for MyGil {
    fn default() -> Self {
        Self::new()
    }
}

// ANCHOR: contract
impl Gil for MyGil {
    /// CPython's `take_gil`: blocks until the calling thread holds the GIL.
    ///
    /// A waiter does not grab the GIL by force. It waits on `gil->cond` for at most one
    /// switch interval at a time; when a wait times out while the GIL is still held and no
    /// switch happened meanwhile (`switch_number` did not move), it sets the drop request
    /// (`SET_GIL_DROP_REQUEST`) and goes on waiting. The interval is a timeout, not a time
    /// slice: a holder with nobody waiting is never interrupted.
    fn take_gil(&self, tstate: &ThreadState) {
        // TODO:
        // 1. Lock `self.state` (`.lock().unwrap_or_else(PoisonError::into_inner)`).
        // 2. While the GIL is `locked`: remember `switch_number`, then wait on
        //    `self.released` for at most one switch interval (`wait_timeout`, which hands
        //    the guard back; CPython never waits less than 1 µs). If that wait timed out,
        //    the GIL is still locked and `switch_number` has not moved, a whole interval
        //    passed without a switch: ask the holder to let go,
        //    `self.drop_request.set(tstate)`. Then look at `locked` again: a `while`, not
        //    an `if`, because after any wake-up another thread may hold the GIL.
        // 3. Take it: `locked = true`. Only a change of holder is a switch: when
        //    `last_holder` is not this thread (`tstate.id()`), make it this thread and
        //    add one to `switch_number`.
        // 4. FORCE_SWITCHING: a holder that was asked to drop waits in `drop_gil` for
        //    exactly this moment. Wake it: `self.switched.notify_all()`.
        // 5. The request, whoever set it, is answered by this take: clear it.
        todo!()
    }

    /// CPython's `drop_gil`: releases the GIL and wakes one waiter.
    ///
    /// With the drop request set, this is a forced switch (`FORCE_SWITCHING`): the thread
    /// clears the request and waits on `gil->switch_cond` until another thread has taken
    /// the GIL. Otherwise, on a multi-core machine, the thread that just let go is still
    /// running and would usually take the GIL straight back before the sleeping waiter woke
    /// up. A voluntary release (around a blocking call, at thread exit) waits for nobody.
    fn drop_gil(&self, tstate: &ThreadState) {
        // TODO:
        // 1. Lock `self.state`. Release: `locked = false`, `last_holder` = this thread
        //    (CPython writes it here too). Wake one waiter: `self.released.notify_one()`.
        // 2. If the drop request is set (`self.drop_request.is_set()`), a waiter asked for
        //    this drop: clear the request, then wait on `self.switched` for as long as
        //    `last_holder` is still this thread (a loop: a condition variable may wake up
        //    with nothing changed). `wait` hands the guard back, like `wait_timeout`.
        // 3. Without a request, return at once: nobody may be waiting, and a thread that
        //    waited for a successor here would never come back from its blocking call.
        todo!()
    }

    /// A handle to the drop request (CPython's `gil_drop_request` in the eval breaker):
    /// the interpreter keeps it and reads it at every check point.
    fn drop_request(&self) -> DropRequest {
        // TODO: a clone of `self.drop_request` (a clone is a handle to the same flag).
        todo!()
    }

    /// `sys.getswitchinterval()`.
    fn switch_interval(&self) -> Duration {
        // TODO: `interval_us` as a `Duration` (`Duration::from_micros`,
        // `self.interval_us.load(Ordering::Relaxed)`).
        todo!()
    }

    /// `sys.setswitchinterval()`: waits that start from now use `interval`.
    fn set_switch_interval(&self, interval: Duration) {
        // TODO: store `interval` in `interval_us`, in microseconds.
        todo!()
    }
}
// ANCHOR_END: contract
