//! Exercise 10: locks.
//!
//! You write, in this order (the checks follow it, one step at a time):
//!
//! | file | you write | Python |
//! |---|---|---|
//! | `model.rs` | [`can_lose_updates`]: where the course's model of CPython loses updates | `counter = counter + one()` vs `counter += 1` |
//! | `model.rs` | [`with_lock`]: the lock that stops it | `with lock:` |
//! | `counters.rs` | [`AtomicCounter`] and [`MutexCounter`] | `with lock: counter += 1` |
//! | `rlock.rs` | [`RLock`] on a `Mutex` and a `Condvar` | `threading.RLock` |
//! | `lock.rs` | a plain [`Lock`] whose timed acquire reports a self-deadlock | `threading.Lock`, `lock.acquire(timeout=...)` |
//! | `account.rs` | an [`Account`] that withdraws under that lock | `with lock:` around a check-then-act |
//!
//! Given: the errors (`errors.rs`), `with lock:` for the plain lock ([`Lock::hold`],
//! `guard.rs`), the account's [`Balance`] (`balance.rs`), an instruction inserter for the
//! model's bytecode (`bytecode_edit.rs`), and two more counter programs for the model
//! ([`programs`]).
//!
//! Replace every `todo!()`, then run `cargo xtask check 10`.

// The stubs leave their parameters and imports unused until you fill them in; delete
// this line when you are done if you want the warnings back.
#![allow(unused_variables, unused_mut, unused_imports, dead_code)]

mod account;
mod balance;
mod bytecode_edit;
mod counters;
mod errors;
mod guard;
mod lock;
mod model;
pub mod programs;
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
