//! A bank account whose withdrawals check the balance and then take from it: a
//! check-then-act that only a lock keeps whole.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::errors::WithdrawError;
use crate::lock::Lock;

/// An account that many threads withdraw from at once.
#[derive(Debug)]
pub struct Account {
    // TODO: a `Lock`, and the balance in an `AtomicU64`. Each load and store of the atomic
    // is whole, but "read the balance, compare, write it back" is three steps: the lock
    // keeps them together.
}

impl Account {
    /// An account holding `balance`.
    pub fn new(balance: u64) -> Account {
        // TODO
        todo!()
    }

    /// The balance now.
    pub fn balance(&self) -> u64 {
        // TODO
        todo!()
    }

    /// Takes `amount` from the balance and returns what is left, if the balance covers it.
    /// The account's lock (taken with at most `timeout` of waiting) is held from reading
    /// the balance to writing it back, and released on every way out.
    ///
    /// # Errors
    /// [`WithdrawError::Insufficient`] when the balance is below `amount` (nothing is
    /// taken); [`WithdrawError::Lock`] when the lock could not be taken.
    pub fn withdraw(&self, amount: u64, timeout: Duration) -> Result<u64, WithdrawError> {
        // TODO: `let _held = self.<lock>.hold(timeout)?;` (Python: `with lock:`), then read
        // the balance (`Ordering::Relaxed` is enough: the lock orders the threads), return
        // `Err(Insufficient { .. })` if it is below `amount`, else store the new balance
        // and return it. The guard releases the lock when the function returns, by either
        // `return`. A bare `acquire_timeout` with a `release()` at the end misses the
        // early return, and the next caller waits for a lock nobody will release.
        todo!()
    }
}
