//! Chapter 11: semaphores and condition variables.
//!
//! You build Python's `threading.Semaphore` (`semaphore.rs`), a bounded download loop
//! on it (`downloads.rs`), `queue.Queue(maxsize)` (`queue.rs`), `threading.Event`
//! (`event.rs`) and `threading.Barrier` (`barrier.rs`), each on `std::sync::Mutex` and
//! `Condvar`. `fetch.rs` is given: the download the semaphore bounds.

mod barrier;
mod downloads;
mod event;
mod fetch;
mod queue;
mod semaphore;

pub use barrier::Barrier;
pub use downloads::download_all;
pub use event::Event;
pub use fetch::fetch;
pub use queue::BoundedQueue;
pub use semaphore::{Permit, Semaphore};
