//! Chapter 11: semaphores and condition variables.
//!
//! You build, in this order (the checks follow it, one step at a time):
//!
//! | file | you write | Python |
//! |---|---|---|
//! | `semaphore.rs` | [`Semaphore`] and its [`Permit`] | `threading.Semaphore` |
//! | `downloads.rs` | [`download_all`], bounded by a semaphore | `with sem: download(page)` |
//! | `queue.rs` | [`BoundedQueue`] | `queue.Queue(maxsize)` |
//! | `event.rs` | [`Event`] | `threading.Event` |
//! | `barrier.rs` | [`Barrier`] | `threading.Barrier` |
//!
//! Each keeps its state in a [`Shared`] (given, `shared.rs`: a `Mutex` whose `lock()`
//! the checks can make pause) and sleeps on `std::sync::Condvar`s. `fetch.rs` is given
//! too: the download the semaphore bounds.
//!
//! Replace every `todo!()`, then run `cargo xtask check 11`.

mod barrier;
mod downloads;
mod event;
mod fetch;
mod queue;
mod semaphore;
mod shared;

pub use barrier::Barrier;
pub use downloads::download_all;
pub use event::Event;
pub use fetch::fetch;
pub use queue::BoundedQueue;
pub use semaphore::{Permit, Semaphore};
pub use shared::{Shared, widen_races};
