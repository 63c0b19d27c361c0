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
/// Every release with a drop request pending waits for the switch, at a check point and
/// around a blocking call alike, as CPython's `drop_gil` does whenever it is given a thread
/// state; a thread's last release, when it ends, does not wait (CPython 3.12+; 3.11 waits
/// there too, see [`Gil::drop_gil_final`]).
///
/// It differs from CPython in three details, none of which changes a guarantee:
/// - CPython guards the switch wait with a second mutex (`switch_mutex`); here one mutex
///   guards everything (a two-mutex version hands over just as fast on the course's
///   machine).
/// - CPython looks at the drop request after unlocking `gil->mutex`, so a waiter that took
///   the GIL in between spares it the wait; here the request is read under the same mutex,
///   before any waiter can take the GIL, and the wait ends as soon as one has.
/// - CPython waits on `switch_cond` once; here in a loop, which also absorbs spurious
///   wake-ups.
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

    /// drop_gil's first half: release, note who held it last, wake one waiter. Returns the
    /// guard, still locked, so that a forced drop can wait for the switch under it.
    fn release(&self, me: ThreadId) -> MutexGuard<'_, GilState> {
        let mut state = self.lock();
        state.locked = false;
        state.last_holder = Some(me);
        self.cond.notify_one();
        state
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
        let mut state = self.release(me);
        // drop_gil (FORCE_SWITCHING): with a drop request pending, wait until another
        // thread took the GIL, so that this thread cannot take it straight back. This holds
        // for a release around a blocking call too: `PyEval_SaveThread` passes its thread
        // state, and `drop_gil` waits whenever it has one and the request is set (3.11 to
        // 3.14). CPython waits once; the loop also absorbs spurious wake-ups.
        if self.drop_request.is_set() {
            self.drop_request.clear();
            while state.last_holder == Some(me) {
                state = self.switch_cond.wait(state);
            }
        }
    }

    fn drop_gil_final(&self, tstate: &ThreadState) {
        // The thread's last release (3.12+: `final_release`, or no thread state in 3.12):
        // release and wake a waiter, never wait for the switch. The request, if any, stays
        // set until the waiter that asked takes the GIL.
        drop(self.release(tstate.id()));
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

#[cfg(test)]
mod tests {
    //! The two kinds of release, driven by hand so that nothing depends on timing: a drop
    //! request is set for a thread that is not waiting yet, so only the test decides when
    //! another thread takes the GIL.

    use std::sync::Arc;
    use std::sync::mpsc;
    use std::time::Duration;

    use super::ReferenceGil;
    use crate::gil::Gil;
    use crate::interpreter::Interpreter;
    use crate::thread::ThreadState;

    /// Long enough that a release which does not wait has certainly returned.
    const SURELY_RETURNED: Duration = Duration::from_millis(200);
    const DEADLOCK: Duration = Duration::from_secs(10);

    #[test]
    fn a_release_with_a_request_pending_returns_only_after_another_thread_took_the_gil() {
        let interp = Interpreter::new();
        let gil = Arc::new(ReferenceGil::new());
        let (a, b) = (
            ThreadState::new(&interp, "a"),
            ThreadState::new(&interp, "b"),
        );
        gil.take_gil(&a);
        // b asks for the GIL (as take_gil does after a switch interval without a switch).
        gil.drop_request().set(&b);
        let switches_before = gil.switch_number();
        let (done_tx, done_rx) = mpsc::channel();
        let dropper = {
            let gil = Arc::clone(&gil);
            std::thread::spawn(move || {
                // `a` releases around a blocking call (PyEval_SaveThread → drop_gil).
                gil.drop_gil(&a);
                let _ = done_tx.send(gil.switch_number());
            })
        };
        assert!(
            done_rx.recv_timeout(SURELY_RETURNED).is_err(),
            "drop_gil returned while a drop request was pending and nobody had taken the GIL: \
             CPython's drop_gil waits on switch_cond until another thread took it"
        );
        gil.take_gil(&b);
        let switches_seen = done_rx
            .recv_timeout(DEADLOCK)
            .expect("drop_gil still waited after another thread took the GIL");
        assert_eq!(
            switches_seen,
            switches_before + 1,
            "the dropper went on before the switch to b was counted"
        );
        assert!(
            !gil.drop_request().is_set(),
            "the answered request is cleared"
        );
        dropper.join().expect("the dropping thread panicked");
    }

    #[test]
    fn a_release_without_a_request_waits_for_nobody() {
        let interp = Interpreter::new();
        let gil = Arc::new(ReferenceGil::new());
        let a = ThreadState::new(&interp, "a");
        gil.take_gil(&a);
        let (done_tx, done_rx) = mpsc::channel();
        let gil2 = Arc::clone(&gil);
        std::thread::spawn(move || {
            gil2.drop_gil(&a);
            let _ = done_tx.send(());
        });
        done_rx
            .recv_timeout(DEADLOCK)
            .expect("a release with no request pending waited for a successor");
    }

    #[test]
    fn a_threads_final_release_does_not_wait_even_with_a_request_pending() {
        let interp = Interpreter::new();
        let gil = Arc::new(ReferenceGil::new());
        let (a, b) = (
            ThreadState::new(&interp, "a"),
            ThreadState::new(&interp, "b"),
        );
        gil.take_gil(&a);
        gil.drop_request().set(&b);
        let (done_tx, done_rx) = mpsc::channel();
        let gil2 = Arc::clone(&gil);
        std::thread::spawn(move || {
            gil2.drop_gil_final(&a);
            let _ = done_tx.send(());
        });
        done_rx.recv_timeout(DEADLOCK).expect(
            "a thread's final release waited for a successor: CPython 3.12+ skips that wait",
        );
        assert!(
            gil.drop_request().is_set(),
            "the request stays for the thread that asked"
        );
        // The GIL is free: the thread that asked takes it at once and answers the request.
        gil.take_gil(&b);
        assert!(!gil.drop_request().is_set());
    }
}
