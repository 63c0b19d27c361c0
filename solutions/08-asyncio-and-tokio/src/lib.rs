//! Reference solution for exercise 08: asyncio and tokio.
//!
//! asyncio's model in Rust: one thread, one event loop, many tasks. The notes' example,
//! `gather` of thousands of lookups, a blocking call moved off the loop, a deadline and a
//! cancellation.

// Given code: the exercise's own files, used as they are.
#[path = "../../../exercises/08-asyncio-and-tokio/src/blocking_io.rs"]
mod blocking_io;
#[path = "../../../exercises/08-asyncio-and-tokio/src/event_log.rs"]
mod event_log;
#[path = "../../../exercises/08-asyncio-and-tokio/src/in_flight.rs"]
mod in_flight;
#[path = "../../../exercises/08-asyncio-and-tokio/src/lookup.rs"]
mod lookup;
#[path = "../../../exercises/08-asyncio-and-tokio/src/slow_work.rs"]
mod slow_work;
#[path = "../../../exercises/08-asyncio-and-tokio/src/stall_detector.rs"]
mod stall_detector;

#[cfg_attr(feature = "mistake-detached-task", path = "../mistakes/detached-task/cancel.rs")]
#[cfg_attr(feature = "mistake-cancel-without-waiting", path = "../mistakes/cancel-without-waiting/cancel.rs")]
#[cfg_attr(feature = "alternative-handles-threads-and-select", path = "../alternatives/handles-threads-and-select/cancel.rs")]
mod cancel;
#[cfg_attr(feature = "mistake-runtime-per-core", path = "../mistakes/runtime-per-core/event_loop.rs")]
mod event_loop;
#[cfg_attr(feature = "mistake-blocking-sleep", path = "../mistakes/blocking-sleep/fetch.rs")]
#[cfg_attr(feature = "mistake-blocking-in-a-spawned-task", path = "../mistakes/blocking-in-a-spawned-task/fetch.rs")]
#[cfg_attr(feature = "alternative-handles-threads-and-select", path = "../alternatives/handles-threads-and-select/fetch.rs")]
mod fetch;
#[cfg_attr(feature = "mistake-gather-in-finish-order", path = "../mistakes/gather-in-finish-order/gather.rs")]
#[cfg_attr(feature = "alternative-handles-threads-and-select", path = "../alternatives/handles-threads-and-select/gather.rs")]
mod gather;
#[cfg_attr(feature = "mistake-awaited-in-turn", path = "../mistakes/awaited-in-turn/notes.rs")]
mod notes;

pub use blocking_io::{
    LOOKUP_TAKES, fetch_on_the_loop, lookup_blocking, lookups_in_flight, record,
};
pub use cancel::{WorkerEnded, cancel_after, with_deadline};
pub use event_log::EventLog;
pub use event_loop::{Clock, run};
pub use fetch::fetch;
pub use gather::gather_lookups;
pub use in_flight::{InFlight, InFlightGuard};
pub use lookup::{lookup, lookup_wait};
pub use notes::{TASK_WAIT, notes_main, task};
pub use slow_work::{
    Cleanup, SLOW_ANSWER, SLOW_OPERATION_TAKES, WORKER_STEPS, slow_operation, worker,
};
pub use stall_detector::{PollRecord, STALL_THRESHOLD, Stall, StallDetector, Watched};
