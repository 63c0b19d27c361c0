//! An account whose withdrawal takes and releases the lock by hand, around a closure.

use std::time::Duration;

use crate::balance::Balance;
use crate::errors::WithdrawError;
use crate::lock::Lock;

/// An account that many threads withdraw from at once.
#[derive(Debug)]
pub struct Account {
    lock: Lock,
    balance: Balance,
}

impl Account {
    /// An account holding `balance`.
    pub fn new(balance: u64) -> Account {
        Account {
            lock: Lock::new(),
            balance: Balance::new(balance),
        }
    }

    /// The balance now.
    pub fn balance(&self) -> u64 {
        self.balance.read()
    }

    /// Takes `amount` if the balance covers it.
    ///
    /// # Errors
    /// [`WithdrawError::Insufficient`] or [`WithdrawError::Lock`].
    pub fn withdraw(&self, amount: u64, timeout: Duration) -> Result<u64, WithdrawError> {
        self.lock.acquire_timeout(timeout)?;
        // Every way out of the closure comes back here, where the lock is released.
        let outcome = (|| {
            let balance = self.balance.read();
            let left = balance
                .checked_sub(amount)
                .ok_or(WithdrawError::Insufficient {
                    balance,
                    asked: amount,
                })?;
            self.balance.write(left);
            Ok(left)
        })();
        self.lock
            .release()
            .expect("this thread took the lock just above");
        outcome
    }
}
