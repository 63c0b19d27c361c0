//! Given: the errors of the course's locks, worded as Python words them.

use std::fmt;
use std::time::Duration;

/// An [`RLock`](crate::RLock) released by a thread that does not hold it. Python:
/// `RuntimeError: cannot release un-acquired lock` (`Modules/_threadmodule.c`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotOwner;

impl fmt::Display for NotOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot release un-acquired lock")
    }
}

impl std::error::Error for NotOwner {}

/// A plain [`Lock`](crate::Lock) released while nobody holds it. Python:
/// `RuntimeError: release unlocked lock`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReleaseUnlocked;

impl fmt::Display for ReleaseUnlocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("release unlocked lock")
    }
}

impl std::error::Error for ReleaseUnlocked {}

/// Why a timed acquire of a plain [`Lock`](crate::Lock) did not take it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcquireError {
    /// The calling thread holds the lock already: waiting could never end.
    SelfDeadlock,
    /// Another thread held the lock for the whole timeout (Python's
    /// `lock.acquire(timeout=t)` returns `False`).
    TimedOut(Duration),
}

impl fmt::Display for AcquireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AcquireError::SelfDeadlock => f.write_str(
                "this thread already holds this lock: a plain Lock is not re-entrant (use an RLock)",
            ),
            AcquireError::TimedOut(after) => write!(
                f,
                "another thread held the lock for the whole timeout of {} ms",
                after.as_millis()
            ),
        }
    }
}

impl std::error::Error for AcquireError {}

/// Why an [`Account`](crate::Account)'s withdrawal did not happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WithdrawError {
    /// The balance was too small; nothing was taken.
    Insufficient {
        /// The balance at the time.
        balance: u64,
        /// The amount asked for.
        asked: u64,
    },
    /// The account's lock could not be taken.
    Lock(AcquireError),
}

impl From<AcquireError> for WithdrawError {
    fn from(e: AcquireError) -> Self {
        WithdrawError::Lock(e)
    }
}

impl fmt::Display for WithdrawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WithdrawError::Insufficient { balance, asked } => {
                write!(f, "cannot withdraw {asked} from a balance of {balance}")
            }
            WithdrawError::Lock(e) => write!(f, "the account's lock: {e}"),
        }
    }
}

impl std::error::Error for WithdrawError {}
