//! Exercise 08: asyncio and tokio.
//!
//! asyncio's model is one thread, one event loop, many coroutines: a task runs until its
//! next `await` on something slow, and the loop runs another meanwhile. tokio's
//! one-thread runtime is the same model in Rust.
//!
//! | Python (asyncio) | Rust (tokio) |
//! |---|---|
//! | `asyncio.run(main())` | [`run`]`(clock, main())`: a `current_thread` runtime's `block_on` |
//! | `async def` / `await` | `async fn` / `.await` |
//! | `await asyncio.sleep(2)` | `tokio::time::sleep(Duration::from_secs(2)).await` |
//! | `await asyncio.gather(a(), b())` | `tokio::join!(a(), b())` |
//! | `asyncio.create_task(c())`, `gather(*tasks)` | `tokio::spawn(c())`, `JoinHandle`, `tokio::task::JoinSet` |
//! | `loop.run_in_executor(None, f)`, `asyncio.to_thread(f)` | `tokio::task::spawn_blocking(f)` |
//! | `asyncio.wait_for(c(), timeout)` | `tokio::time::timeout(limit, c())` |
//! | `task.cancel()` | `handle.abort()` (or dropping the future) |
//! | `print(...)` | [`EventLog::say`] |
//!
//! Replace every `todo!()`, one step at a time, in the order `cargo xtask check 08`
//! shows: `event_loop.rs`, `notes.rs`, `gather.rs`, `fetch.rs`, `cancel.rs`
//! (`cargo xtask hint 08` when stuck). Once they pass,
//! `cargo run -q -p ex08-asyncio-and-tokio --bin ch08-asyncio` prints the notes'
//! example and your own measurements.

// The stubs leave their parameters and imports unused until you fill them in; delete
// this line when you are done if you want the warnings back.
#![allow(unused_variables, unused_mut, unused_imports, dead_code)]

// Given: read them, do not change them.
mod blocking_io;
mod event_log;
mod in_flight;
mod lookup;
mod slow_work;
mod stall_detector;

// Yours.
mod cancel;
mod event_loop;
mod fetch;
mod gather;
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
