//! A bank account whose withdrawals look at the balance and then take from it: a
//! check-then-act that only a lock keeps whole.

// The stub leaves its parameters and imports unused until you fill it in.
#![allow(unused_imports, unused_variables, dead_code)]

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
        // TODO
        todo!()
    }

    /// The balance now.
    pub fn balance(&self) -> u64 {
        // TODO
        todo!()
    }

    /// Takes `amount` from the balance and returns what is left, if the balance covers it.
    ///
    /// Guarantees: the account's lock (taken with at most `timeout` of waiting) is held
    /// from reading the balance to writing it back, so two withdrawals can never both
    /// spend the same money; and it is released on every way out, the refusal included.
    ///
    /// Python: `with self.lock:` around the check and the update.
    /// Read: "Release on every path" in this chapter, and the primer's guards and `Drop`.
    ///
    /// # Errors
    /// [`Insufficient`](WithdrawError::Insufficient) when the balance is below `amount` (nothing is
    /// taken); [`Lock`](WithdrawError::Lock) when the lock could not be taken.
    pub fn withdraw(&self, amount: u64, timeout: Duration) -> Result<u64, WithdrawError> {
        // TODO: take the lock before you read the balance, keep it until the new balance
        // is written, and let every return give it back: the given `Lock::hold` is
        // Python's `with lock:`.
        todo!()
    }
}
