//! The mistake: `take_gil` polls, sleeping 100 µs between looks at the state, instead
//! of sleeping on the condition variable until a release wakes it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use python_model::{DEFAULT_SWITCH_INTERVAL, DropRequest, Gil, ThreadId, ThreadState};

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

impl MyGil {
    /// An unlocked GIL with CPython's default switch interval, 5 ms (`DEFAULT_INTERVAL` in
    /// `Python/ceval_gil.c`, the 0.005 that `sys.getswitchinterval()` returns).
    pub fn new() -> Self {
        MyGil {
            state: Mutex::new(GilState::default()),
            released: Condvar::new(),
            switched: Condvar::new(),
            drop_request: DropRequest::new(),
            interval_us: AtomicU64::new(micros(DEFAULT_SWITCH_INTERVAL)),
        }
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
    /// A waiter does not grab the GIL by force. It waits on `gil->cond` for at most one
    /// switch interval at a time; when a wait times out while the GIL is still held and no
    /// switch happened meanwhile (`switch_number` did not move), it sets the drop request
    /// (`SET_GIL_DROP_REQUEST`) and goes on waiting. The interval is a timeout, not a time
    /// slice: a holder with nobody waiting is never interrupted.
    fn take_gil(&self, tstate: &ThreadState) {
        let me = tstate.id();
        let mut state = self.lock();
        let mut since = std::time::Instant::now();
        let mut saved_switch_number = state.switch_number;
        while state.locked {
            drop(state);
            std::thread::sleep(Duration::from_micros(100));
            state = self.lock();
            let interval = Duration::from_micros(self.interval_us.load(Ordering::Relaxed).max(1));
            if state.switch_number != saved_switch_number {
                saved_switch_number = state.switch_number;
                since = std::time::Instant::now();
            } else if state.locked && since.elapsed() >= interval {
                self.drop_request.set(tstate);
                since = std::time::Instant::now();
            }
        }
        state.locked = true;
        // Only a change of holder is a switch: taking it back after a blocking call is not.
        if state.last_holder != Some(me) {
            state.last_holder = Some(me);
            state.switch_number += 1;
        }
        // FORCE_SWITCHING: a holder that was asked to drop waits for this moment.
        self.switched.notify_all();
        // Whoever asked, the request is answered by this take.
        self.drop_request.clear();
    }

    /// CPython's `drop_gil`: releases the GIL and wakes one waiter.
    ///
    /// With the drop request set, this is a forced switch (`FORCE_SWITCHING`): the thread
    /// clears the request and waits on `gil->switch_cond` until another thread has taken
    /// the GIL. Otherwise, on a multi-core machine, the thread that just let go is still
    /// running and would usually take the GIL straight back before the sleeping waiter woke
    /// up. That holds for a release around a blocking call too when a request is pending
    /// (`PyEval_SaveThread` hands `drop_gil` the thread state, 3.11 to 3.14); a release
    /// with no request pending waits for nobody. A thread's last release uses the trait's
    /// provided `drop_gil_final`, which calls this one: CPython 3.11's behaviour.
    fn drop_gil(&self, tstate: &ThreadState) {
        let me = tstate.id();
        let mut state = self.lock();
        state.locked = false;
        state.last_holder = Some(me);
        self.released.notify_one();
        if self.drop_request.is_set() {
            self.drop_request.clear();
            // A loop, not one wait: a condition variable may wake up with nothing changed.
            while state.last_holder == Some(me) {
                state = self
                    .switched
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
    }

    /// A handle to the drop request (CPython's `gil_drop_request` in the eval breaker):
    /// the interpreter keeps it and reads it at every check point.
    fn drop_request(&self) -> DropRequest {
        self.drop_request.clone()
    }

    /// `sys.getswitchinterval()`.
    fn switch_interval(&self) -> Duration {
        Duration::from_micros(self.interval_us.load(Ordering::Relaxed))
    }

    /// `sys.setswitchinterval()`: waits that start from now use `interval`.
    fn set_switch_interval(&self, interval: Duration) {
        self.interval_us.store(micros(interval), Ordering::Relaxed);
    }
}
