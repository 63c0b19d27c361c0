//! Chapter 10: locks, the reference solution.
//!
//! Where the course's model of CPython loses updates and the lock that stops it
//! (`model.rs`); a counter on an atomic and one behind a `Mutex` (`counters.rs`);
//! Python's `RLock` on a `Mutex` and a `Condvar` (`rlock.rs`); a plain `Lock` whose timed
//! acquire reports a self-deadlock (`lock.rs`) and an account that withdraws under it
//! (`account.rs`).

#[cfg_attr(
    feature = "mistake-early-return-keeps-lock",
    path = "../mistakes/early-return-keeps-lock/account.rs"
)]
#[cfg_attr(
    feature = "mistake-no-lock-on-withdraw",
    path = "../mistakes/no-lock-on-withdraw/account.rs"
)]
#[cfg_attr(
    feature = "mistake-lock-after-read",
    path = "../mistakes/lock-after-read/account.rs"
)]
#[cfg_attr(
    feature = "alternative-other-shapes",
    path = "../alternatives/other-shapes/account.rs"
)]
mod account;
// The code the course gives lives once, in the exercise.
#[path = "../../../exercises/10-locks/src/balance.rs"]
mod balance;
#[path = "../../../exercises/10-locks/src/bytecode_edit.rs"]
mod bytecode_edit;
#[cfg_attr(
    feature = "alternative-other-shapes",
    path = "../alternatives/other-shapes/counters.rs"
)]
mod counters;
#[path = "../../../exercises/10-locks/src/errors.rs"]
mod errors;
#[path = "../../../exercises/10-locks/src/guard.rs"]
mod guard;
#[cfg_attr(
    feature = "mistake-one-timed-wait",
    path = "../mistakes/one-timed-wait/lock.rs"
)]
#[cfg_attr(
    feature = "alternative-other-shapes",
    path = "../alternatives/other-shapes/lock.rs"
)]
mod lock;
#[cfg_attr(
    feature = "mistake-prediction-from-source-text",
    path = "../mistakes/prediction-from-source-text/model.rs"
)]
#[cfg_attr(
    feature = "mistake-lock-around-the-loop",
    path = "../mistakes/lock-around-the-loop/model.rs"
)]
#[cfg_attr(
    feature = "alternative-other-shapes",
    path = "../alternatives/other-shapes/model.rs"
)]
mod model;
#[path = "../../../exercises/10-locks/src/programs.rs"]
pub mod programs;
#[cfg_attr(
    feature = "mistake-release-from-other-thread",
    path = "../mistakes/release-from-other-thread/rlock.rs"
)]
#[cfg_attr(
    feature = "mistake-rlock-polls",
    path = "../mistakes/rlock-polls/rlock.rs"
)]
#[cfg_attr(
    feature = "alternative-other-shapes",
    path = "../alternatives/other-shapes/rlock.rs"
)]
mod rlock;

pub use account::Account;
pub use balance::{Balance, widen_races};
pub use bytecode_edit::insert;
pub use counters::{AtomicCounter, MutexCounter};
pub use errors::{AcquireError, NotOwner, ReleaseUnlocked, WithdrawError};
pub use guard::LockGuard;
pub use lock::Lock;
pub use model::{can_lose_updates, with_lock};
pub use rlock::RLock;
