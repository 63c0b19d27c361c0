//! Given: an account's balance, a number many threads read and write.
//!
//! Each `read` and each `write` is whole (an atomic load or store): no thread ever sees
//! half a number. What nothing here keeps together is a read and the write that depends
//! on it: between the two, another thread can read the same balance. That gap is the
//! account's lock's job. On a real machine it is a few nanoseconds wide, and a race
//! through it shows up once in a great many tries; when the checks ask ([`widen_races`]),
//! every `read` pauses a few microseconds before it returns, as a thread switched out at
//! the worst moment would, so the race shows up every time.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

/// Whether each read pauses (the checks turn it on).
static WIDEN: AtomicBool = AtomicBool::new(false);

/// How long a read pauses when the checks widen the races.
const PAUSE: Duration = Duration::from_micros(20);

/// Used by the checks: from now on, every [`Balance::read`] in this process pauses a few
/// microseconds after it reads (`true`), or no longer does (`false`).
pub fn widen_races(on: bool) {
    WIDEN.store(on, Ordering::SeqCst);
}

/// A balance that threads share. Python: an `int` attribute of an account object.
#[derive(Debug, Default)]
pub struct Balance {
    value: AtomicU64,
}

impl Balance {
    /// A balance of `amount`.
    pub fn new(amount: u64) -> Balance {
        Balance {
            value: AtomicU64::new(amount),
        }
    }

    /// The balance now. Another thread may change it the moment after.
    pub fn read(&self) -> u64 {
        let amount = self.value.load(Ordering::SeqCst);
        if WIDEN.load(Ordering::Relaxed) {
            thread::sleep(PAUSE);
        }
        amount
    }

    /// Sets the balance to `amount`, whatever it is now.
    pub fn write(&self, amount: u64) {
        self.value.store(amount, Ordering::SeqCst);
    }
}
