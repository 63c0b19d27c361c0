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
    /// Keeps two withdrawals from spending the same money.
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
    /// Guarantees: two withdrawals can never both spend the same money, however their
    /// threads are switched; the account's lock is taken with at most `timeout` of
    /// waiting, and never left held, whatever `withdraw` returns (the refusal included).
    ///
    /// Python: `with self.lock:` around the check and the update.
    /// Read: "Release on every path" in this chapter, and the primer's guards and `Drop`.
    ///
    /// # Errors
    /// [`Insufficient`](WithdrawError::Insufficient) when the balance is below `amount` (nothing is
    /// taken); [`Lock`](WithdrawError::Lock) when the lock could not be taken.
    pub fn withdraw(&self, amount: u64, timeout: Duration) -> Result<u64, WithdrawError> {
        // TODO: the given `Lock::hold` is Python's `with lock:`. Where must the lock start
        // and end for two withdrawals never to spend the same money? And what gives it
        // back when you refuse?
        todo!()
    }
}
