//! One measurement at a time per process.
//!
//! Tests of one test binary run on parallel threads; a comparison timed while another
//! test sizes its work would measure the other test. The runner runs each check in a
//! process of its own, where this lock is never contended.

use std::cell::Cell;
use std::sync::{Mutex, MutexGuard, PoisonError};

static MEASURING: Mutex<()> = Mutex::new(());

/// Whether this process has said that it measures (see [`crate::MEASURED`]).
static ANNOUNCED: std::sync::Once = std::sync::Once::new();

thread_local! {
    /// Whether this thread holds `MEASURING`.
    static HOLDING: Cell<bool> = const { Cell::new(false) };
}

/// Held while a check, a work sizing or a probe runs.
pub(crate) struct Exclusive {
    guard: Option<MutexGuard<'static, ()>>,
}

impl Exclusive {
    /// Waits until no other thread measures. A thread that already measures (a probe
    /// inside a check) just goes on; a thread spawned by the versions themselves must
    /// not measure, since it would wait for its own check.
    pub(crate) fn take() -> Exclusive {
        if HOLDING.get() {
            return Exclusive { guard: None };
        }
        // A check that failed panics while holding the lock; the lock guards no data,
        // only the machine's attention, so a poisoned lock is taken all the same.
        let guard = MEASURING.lock().unwrap_or_else(PoisonError::into_inner);
        HOLDING.set(true);
        // The runner keeps other checks off the cores while a `// timed` check runs;
        // this line lets `verify` prove every check that measures is marked so. Only the
        // runner asks for it: a program's own output (a tool's JSON) stays clean.
        if std::env::var_os(crate::ANNOUNCE_MEASURING).is_some() {
            ANNOUNCED.call_once(|| println!("{}", crate::MEASURED));
        }
        Exclusive { guard: Some(guard) }
    }

    /// Whether this thread is already measuring.
    pub(crate) fn held() -> bool {
        HOLDING.get()
    }
}

impl Drop for Exclusive {
    fn drop(&mut self) {
        if self.guard.take().is_some() {
            HOLDING.set(false);
        }
    }
}
