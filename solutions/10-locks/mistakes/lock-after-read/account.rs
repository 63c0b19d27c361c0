//! A bank account whose withdrawals check the balance and then take from it: a
//! check-then-act that only a lock keeps whole.

use std::time::Duration;

use crate::balance::Balance;
use crate::errors::WithdrawError;
use crate::lock::Lock;

/// An account that many threads withdraw from at once.
#[derive(Debug)]
pub struct Account {
    /// Held from reading the balance to writing it back.
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

    /// Takes `amount` from the balance and returns what is left, if the balance covers it.
    /// The account's lock is held from reading the balance to writing it back, and
    /// released on every way out.
    ///
    /// # Errors
    /// [`WithdrawError::Insufficient`] when the balance is below `amount` (nothing is
    /// taken); [`WithdrawError::Lock`] when the lock could not be taken.
    pub fn withdraw(&self, amount: u64, timeout: Duration) -> Result<u64, WithdrawError> {
        // THE MISTAKE: the check is made before the lock is taken; only the write is
        // locked. Two threads can both see enough money, then take turns writing.
        let balance = self.balance.read();
        if balance < amount {
            return Err(WithdrawError::Insufficient {
                balance,
                asked: amount,
            });
        }
        let _held = self.lock.hold(timeout)?;
        self.balance.write(balance - amount);
        Ok(balance - amount)
    }
}
