//! Exercise 10: locks.
//!
//! Four pieces, one file each:
//!
//! | file | you write | Python |
//! |---|---|---|
//! | `model.rs` | [`can_lose_updates`]: where the course's model of CPython loses updates; [`with_lock`]: the lock that stops it | `counter = counter + one()` vs `counter += 1`; `with lock:` |
//! | `counters.rs` | [`AtomicCounter`] and [`MutexCounter`] | `with lock: counter += 1` |
//! | `rlock.rs` | [`RLock`] on a `Mutex` and a `Condvar` | `threading.RLock` |
//! | `lock.rs`, `account.rs` | a plain [`Lock`] whose timed acquire reports a self-deadlock; an [`Account`] that withdraws under it | `threading.Lock`, `lock.acquire(timeout=...)` |
//!
//! Given: the errors (`errors.rs`), `with lock:` for the plain lock ([`Lock::hold`],
//! `guard.rs`), an instruction inserter for the model's bytecode (`bytecode_edit.rs`), and
//! two more counter programs for the model ([`programs`]).
//!
//! Replace every `todo!()`, then run `cargo xtask check 10`.

// The stubs leave their parameters and imports unused until you fill them in; delete
// this line when you are done if you want the warnings back.
#![allow(unused_variables, unused_mut, unused_imports, dead_code)]

mod account;
mod bytecode_edit;
mod counters;
mod errors;
mod guard;
mod lock;
mod model;
pub mod programs;
mod rlock;

pub use account::Account;
pub use bytecode_edit::insert;
pub use counters::{AtomicCounter, MutexCounter};
pub use errors::{AcquireError, NotOwner, ReleaseUnlocked, WithdrawError};
pub use guard::LockGuard;
pub use lock::Lock;
pub use model::{can_lose_updates, with_lock};
pub use rlock::RLock;
