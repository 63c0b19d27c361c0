//! Chapter 11: semaphores and condition variables, the reference solution.
//!
//! Python's `threading.Semaphore`, `queue.Queue(maxsize)`, `threading.Event` and
//! `threading.Barrier`, each built on `std::sync::Mutex` and `Condvar`.

mod barrier;
#[cfg_attr(feature = "mistake-let-underscore-permit", path = "../mistakes/let-underscore-permit/downloads.rs")]
mod downloads;
#[cfg_attr(feature = "mistake-notify-one-for-all", path = "../mistakes/notify-one-for-all/event.rs")]
mod event;
// The code the course gives lives once, in the exercise.
#[path = "../../../exercises/11-semaphores-and-conditions/src/fetch.rs"]
mod fetch;
#[cfg_attr(feature = "mistake-busy-wait", path = "../mistakes/busy-wait/queue.rs")]
#[cfg_attr(feature = "mistake-if-instead-of-while", path = "../mistakes/if-instead-of-while/queue.rs")]
mod queue;
mod semaphore;

pub use barrier::Barrier;
pub use downloads::download_all;
pub use event::Event;
pub use fetch::fetch;
pub use queue::BoundedQueue;
pub use semaphore::{Permit, Semaphore};
