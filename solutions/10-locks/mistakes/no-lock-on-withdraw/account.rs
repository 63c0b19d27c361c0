//! The mistake: `withdraw` takes no lock. Each load and each store of the balance is
//! atomic, so it looks safe; but between one thread's load and its store, another thread
//! can load the same balance, and both are paid from it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::errors::WithdrawError;

/// An account whose withdrawals check, then act, with nothing holding the two together.
#[derive(Debug)]
pub struct Account {
    balance: AtomicU64,
}

impl Account {
    /// An account holding `balance`.
    pub fn new(balance: u64) -> Account {
        Account {
            balance: AtomicU64::new(balance),
        }
    }

    /// The balance now.
    pub fn balance(&self) -> u64 {
        self.balance.load(Ordering::Relaxed)
    }

    /// Takes `amount` if the balance covers it.
    ///
    /// # Errors
    /// As the solution's; it never waits, so never for the lock.
    pub fn withdraw(&self, amount: u64, _timeout: Duration) -> Result<u64, WithdrawError> {
        // The mistake: no `self.lock.hold(timeout)?` first.
        let balance = self.balance.load(Ordering::Relaxed);
        if balance < amount {
            return Err(WithdrawError::Insufficient {
                balance,
                asked: amount,
            });
        }
        self.balance.store(balance - amount, Ordering::Relaxed);
        Ok(balance - amount)
    }
}
