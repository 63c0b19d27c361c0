//! The reference GIL: the algorithm of CPython's `Python/ceval_gil.c` (3.11 to 3.14) on the
//! same primitives as CPython's: a pthread mutex and pthread condition variables, made as
//! `Python/condvar.h` makes them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::condvar::{Condvar, Mutex, MutexGuard};
use crate::gil::{DEFAULT_SWITCH_INTERVAL, DropRequest, Gil};
use crate::thread::ThreadState;
use crate::trace::ThreadId;

/// CPython's GIL: one holder at a time, a waiter asks for a drop after one switch
/// interval without a switch, a forced drop waits until someone else took it.
///
/// It differs from CPython in one detail: CPython guards the switch wait with a second
/// mutex (`switch_mutex`); here one mutex guards everything, which is simpler and keeps the
/// same guarantees (a two-mutex version hands over just as fast on the course's machine).
///
/// Its mutex and condition variables are pthread's, made as CPython's `Python/condvar.h`
/// makes them, because how the primitives sleep and wake decides how long a hand-off takes:
/// glibc's default mutex sleeps at once where `std::sync::Mutex` spins first. A GIL written
/// with `std::sync` (chapter 04's) follows the same algorithm and passes the same checks,
/// but often hands over within a couple of microseconds, where this one, like CPython,
/// often has to wake a sleeping thread once or twice (15 to 30 µs each on the course's
/// machine).
#[derive(Debug)]
pub struct ReferenceGil {
    /// `gil->mutex`, guarding `locked`, `last_holder`, `switch_number`.
    state: Mutex<GilState>,
    /// `gil->cond`: signalled when the GIL is released.
    cond: Condvar,
    /// `gil->switch_cond`: signalled when a thread takes the GIL.
    switch_cond: Condvar,
    /// `gil_drop_request`, the part of the eval breaker that asks for a switch.
    drop_request: DropRequest,
    /// `gil->interval`, in microseconds as in CPython.
    interval_us: AtomicU64,
}

#[derive(Debug, Default)]
struct GilState {
    locked: bool,
    last_holder: Option<ThreadId>,
    switch_number: u64,
}

impl Default for ReferenceGil {
    fn default() -> Self {
        Self::new()
    }
}

impl ReferenceGil {
    /// An unlocked GIL with the default switch interval of 5 ms.
    pub fn new() -> Self {
        ReferenceGil {
            state: Mutex::new(GilState::default()),
            cond: Condvar::new(),
            switch_cond: Condvar::new(),
            drop_request: DropRequest::new(),
            interval_us: AtomicU64::new(duration_to_us(DEFAULT_SWITCH_INTERVAL)),
        }
    }

    /// How many times the holder changed so far (CPython's `switch_number`).
    pub fn switch_number(&self) -> u64 {
        self.lock().switch_number
    }

    fn lock(&self) -> MutexGuard<'_, GilState> {
        // The guarded state stays consistent at every unlock, so the mutex needs no
        // poisoning: a panic elsewhere while holding it leaves it usable.
        self.state.lock()
    }
}

fn duration_to_us(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

impl Gil for ReferenceGil {
    fn take_gil(&self, tstate: &ThreadState) {
        let me = tstate.id();
        let mut state = self.lock();
        while state.locked {
            // take_gil: remember the switch count, then wait at most one interval.
            let saved_switch_number = state.switch_number;
            // take_gil: an interval below 1 µs is treated as 1 µs.
            let interval = Duration::from_micros(self.interval_us.load(Ordering::Relaxed).max(1));
            let (guard, timed_out) = self.cond.wait_timeout(state, interval);
            state = guard;
            // take_gil: timed out and nobody switched meanwhile, so ask the holder to drop.
            // A wake-up without a timeout (someone released and another thread won the race)
            // starts a fresh interval, as in CPython.
            if timed_out && state.locked && state.switch_number == saved_switch_number {
                self.drop_request.set(tstate);
            }
        }
        state.locked = true;
        // take_gil: only a change of holder counts as a switch.
        if state.last_holder != Some(me) {
            state.last_holder = Some(me);
            state.switch_number += 1;
        }
        // take_gil (FORCE_SWITCHING): wake a forced dropper waiting for this switch.
        self.switch_cond.notify_all();
        // take_gil: the request, if any, is answered by this take.
        if self.drop_request.is_set() {
            self.drop_request.clear();
        }
    }

    fn drop_gil(&self, tstate: &ThreadState) {
        let me = tstate.id();
        let mut state = self.lock();
        // drop_gil: release, note who held it last, wake one waiter.
        state.locked = false;
        state.last_holder = Some(me);
        self.cond.notify_one();
        // drop_gil (FORCE_SWITCHING): after a requested drop, wait until another thread
        // took the GIL, so that this thread cannot take it straight back. CPython waits
        // once; the loop also absorbs spurious wake-ups.
        if self.drop_request.is_set() {
            self.drop_request.clear();
            while state.last_holder == Some(me) {
                state = self.switch_cond.wait(state);
            }
        }
    }

    fn drop_request(&self) -> DropRequest {
        self.drop_request.clone()
    }

    fn switch_interval(&self) -> Duration {
        Duration::from_micros(self.interval_us.load(Ordering::Relaxed))
    }

    fn set_switch_interval(&self, interval: Duration) {
        self.interval_us
            .store(duration_to_us(interval), Ordering::Relaxed);
    }
}
