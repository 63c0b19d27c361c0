//! The reference solution of chapter 10 with one mistake: `Account::withdraw` takes no
//! lock at all (see `account.rs`). Every other module is the solution's own file, or the
//! exercise's for the code the course gives.

mod account;
#[path = "../../../../../exercises/10-locks/src/bytecode_edit.rs"]
mod bytecode_edit;
#[path = "../../../src/counters.rs"]
mod counters;
#[path = "../../../../../exercises/10-locks/src/errors.rs"]
mod errors;
#[path = "../../../../../exercises/10-locks/src/guard.rs"]
mod guard;
#[path = "../../../src/lock.rs"]
mod lock;
#[path = "../../../src/model.rs"]
mod model;
#[path = "../../../../../exercises/10-locks/src/programs.rs"]
pub mod programs;
#[path = "../../../src/rlock.rs"]
mod rlock;

pub use account::Account;
pub use bytecode_edit::insert;
pub use counters::{AtomicCounter, MutexCounter};
pub use errors::{AcquireError, NotOwner, ReleaseUnlocked, WithdrawError};
pub use guard::LockGuard;
pub use lock::Lock;
pub use model::{can_lose_updates, with_lock};
pub use rlock::RLock;
