//! Chapter 11: semaphores and condition variables, the reference solution.
//!
//! Python's `threading.Semaphore`, `queue.Queue(maxsize)`, `threading.Event` and
//! `threading.Barrier`, each keeping its state in the given `Shared` (a `Mutex`) and
//! sleeping on `Condvar`s.

#[cfg_attr(
    feature = "mistake-barrier-counts-only",
    path = "../mistakes/barrier-counts-only/barrier.rs"
)]
#[cfg_attr(
    feature = "alternative-wait-while",
    path = "../alternatives/wait-while/barrier.rs"
)]
mod barrier;
#[cfg_attr(
    feature = "mistake-let-underscore-permit",
    path = "../mistakes/let-underscore-permit/downloads.rs"
)]
#[cfg_attr(
    feature = "mistake-batches-of-limit",
    path = "../mistakes/batches-of-limit/downloads.rs"
)]
#[cfg_attr(
    feature = "alternative-wait-while",
    path = "../alternatives/wait-while/downloads.rs"
)]
mod downloads;
#[cfg_attr(
    feature = "mistake-notify-one-for-all",
    path = "../mistakes/notify-one-for-all/event.rs"
)]
#[cfg_attr(
    feature = "alternative-wait-while",
    path = "../alternatives/wait-while/event.rs"
)]
mod event;
// The code the course gives lives once, in the exercise.
#[path = "../../../exercises/11-semaphores-and-conditions/src/fetch.rs"]
mod fetch;
#[cfg_attr(feature = "mistake-busy-wait", path = "../mistakes/busy-wait/queue.rs")]
#[cfg_attr(
    feature = "mistake-if-instead-of-while",
    path = "../mistakes/if-instead-of-while/queue.rs"
)]
#[cfg_attr(
    feature = "alternative-wait-while",
    path = "../alternatives/wait-while/queue.rs"
)]
mod queue;
#[cfg_attr(
    feature = "mistake-take-after-unlock",
    path = "../mistakes/take-after-unlock/semaphore.rs"
)]
#[cfg_attr(
    feature = "mistake-poll-for-a-permit",
    path = "../mistakes/poll-for-a-permit/semaphore.rs"
)]
#[cfg_attr(
    feature = "mistake-one-timed-wait",
    path = "../mistakes/one-timed-wait/semaphore.rs"
)]
#[cfg_attr(
    feature = "alternative-wait-while",
    path = "../alternatives/wait-while/semaphore.rs"
)]
mod semaphore;
#[path = "../../../exercises/11-semaphores-and-conditions/src/shared.rs"]
mod shared;

pub use barrier::Barrier;
pub use downloads::download_all;
pub use event::Event;
pub use fetch::fetch;
pub use queue::BoundedQueue;
pub use semaphore::{Permit, Semaphore};
pub use shared::{Shared, widen_races};
