//! The reference solution of chapter 08 with one mistake: the notes' `main` awaits its
//! two tasks one after the other (see `notes.rs`). Every other module is the
//! solution's own file, or the exercise's for the code the course gives.

#[path = "../../../../../exercises/08-asyncio-and-tokio/src/blocking_io.rs"]
mod blocking_io;
#[path = "../../../src/cancel.rs"]
mod cancel;
#[path = "../../../../../exercises/08-asyncio-and-tokio/src/event_log.rs"]
mod event_log;
#[path = "../../../src/event_loop.rs"]
mod event_loop;
#[path = "../../../src/fetch.rs"]
mod fetch;
#[path = "../../../src/gather.rs"]
mod gather;
#[path = "../../../../../exercises/08-asyncio-and-tokio/src/in_flight.rs"]
mod in_flight;
mod notes;
#[path = "../../../../../exercises/08-asyncio-and-tokio/src/slow_work.rs"]
mod slow_work;
#[path = "../../../../../exercises/08-asyncio-and-tokio/src/stall_detector.rs"]
mod stall_detector;

pub use blocking_io::{
    LOOKUP_TAKES, fetch_on_the_loop, lookup_blocking, lookups_in_flight, record,
};
pub use cancel::{WorkerEnded, cancel_after, with_deadline};
pub use event_log::EventLog;
pub use event_loop::{Clock, run};
pub use fetch::fetch;
pub use gather::gather_sleeps;
pub use in_flight::{InFlight, InFlightGuard};
pub use notes::{TASK_WAIT, notes_main, task};
pub use slow_work::{
    Cleanup, SLOW_ANSWER, SLOW_OPERATION_TAKES, WORKER_STEPS, slow_operation, worker,
};
pub use stall_detector::{PollRecord, STALL_THRESHOLD, Stall, StallDetector, Watched};
