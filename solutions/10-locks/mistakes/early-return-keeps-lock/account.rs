//! The mistake: `withdraw` takes the lock with `acquire_timeout` and releases it at the
//! end, as Python's `lock.acquire()` ... `lock.release()` without `with`; the early
//! return on a refusal skips the release.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::errors::WithdrawError;
use crate::lock::Lock;

/// An account whose refused withdrawals keep its lock.
#[derive(Debug)]
pub struct Account {
    lock: Lock,
    balance: AtomicU64,
}

impl Account {
    /// An account holding `balance`.
    pub fn new(balance: u64) -> Account {
        Account {
            lock: Lock::new(),
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
    /// As the solution's; but a refusal leaves the lock held.
    pub fn withdraw(&self, amount: u64, timeout: Duration) -> Result<u64, WithdrawError> {
        self.lock.acquire_timeout(timeout)?;
        let balance = self.balance.load(Ordering::Relaxed);
        if balance < amount {
            // The mistake: this way out skips the release below.
            return Err(WithdrawError::Insufficient {
                balance,
                asked: amount,
            });
        }
        self.balance.store(balance - amount, Ordering::Relaxed);
        let _ = self.lock.release();
        Ok(balance - amount)
    }
}
