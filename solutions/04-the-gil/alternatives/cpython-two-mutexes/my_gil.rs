//! Another correct GIL, closer to CPython's own layout: `gil->mutex` guards `locked` and
//! `switch_number`; a second mutex, `gil->switch_mutex`, guards the last holder and the
//! forced-switch wait. The last holder is read after the release, as CPython's
//! `drop_gil` reads it: if a waiter took the GIL in between, there is nothing to wait for.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use python_model::{DEFAULT_SWITCH_INTERVAL, DropRequest, Gil, ThreadId, ThreadState};

/// A GIL with CPython's two mutexes.
#[derive(Debug)]
pub struct MyGil {
    /// `gil->mutex` with `gil->locked` and `gil->switch_number`.
    main: Mutex<(bool, u64)>,
    /// `gil->cond`.
    cond: Condvar,
    /// `gil->switch_mutex` with `gil->last_holder`.
    switch: Mutex<Option<ThreadId>>,
    /// `gil->switch_cond`.
    switch_cond: Condvar,
    request: DropRequest,
    interval_us: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl MyGil {
    /// An unlocked GIL with CPython's default switch interval.
    pub fn new() -> Self {
        MyGil {
            main: Mutex::new((false, 0)),
            cond: Condvar::new(),
            switch: Mutex::new(None),
            switch_cond: Condvar::new(),
            request: DropRequest::new(),
            interval_us: AtomicU64::new(DEFAULT_SWITCH_INTERVAL.as_micros() as u64),
        }
    }
}

impl Default for MyGil {
    fn default() -> Self {
        Self::new()
    }
}

impl Gil for MyGil {
    fn take_gil(&self, tstate: &ThreadState) {
        let mut main = lock(&self.main);
        loop {
            let (locked, switches) = *main;
            if !locked {
                break;
            }
            let timeout = Duration::from_micros(self.interval_us.load(Ordering::Relaxed).max(1));
            let (guard, result) = self.cond.wait_timeout(main, timeout).unwrap_or_else(PoisonError::into_inner);
            main = guard;
            if result.timed_out() && main.0 && main.1 == switches {
                self.request.set(tstate);
            }
        }
        main.0 = true;
        {
            let mut last = lock(&self.switch);
            if *last != Some(tstate.id()) {
                *last = Some(tstate.id());
                main.1 += 1;
            }
            self.switch_cond.notify_all();
        }
        self.request.clear();
    }

    fn drop_gil(&self, tstate: &ThreadState) {
        {
            let mut main = lock(&self.main);
            main.0 = false;
            *lock(&self.switch) = Some(tstate.id());
            self.cond.notify_one();
        }
        if self.request.is_set() {
            let mut last = lock(&self.switch);
            if *last == Some(tstate.id()) {
                self.request.clear();
                while *last == Some(tstate.id()) {
                    last = self.switch_cond.wait(last).unwrap_or_else(PoisonError::into_inner);
                }
            }
        }
    }

    fn drop_request(&self) -> DropRequest {
        self.request.clone()
    }

    fn switch_interval(&self) -> Duration {
        Duration::from_micros(self.interval_us.load(Ordering::Relaxed))
    }

    fn set_switch_interval(&self, interval: Duration) {
        self.interval_us.store(interval.as_micros() as u64, Ordering::Relaxed);
    }
}
