//! Reference solution for exercise 09: the I/O-bound showdown.
//!
//! Three clients fetch pages from the loopback server (sequential, Python threads under
//! the model's GIL, tokio tasks); the given showdown measures them beside real worker
//! processes and the table puts the numbers in the notes' technique table.

use std::time::Duration;

/// How long a client waits for a connection or a reply before it gives up.
pub const PATIENCE: Duration = Duration::from_secs(10);

#[cfg_attr(feature = "mistake-async-one-at-a-time", path = "../mistakes/async-one-at-a-time/asynchronous.rs")]
#[cfg_attr(feature = "mistake-async-in-arrival-order", path = "../mistakes/async-in-arrival-order/asynchronous.rs")]
#[cfg_attr(feature = "mistake-async-thread-per-page", path = "../mistakes/async-thread-per-page/asynchronous.rs")]
#[cfg_attr(feature = "mistake-async-without-deadline", path = "../mistakes/async-without-deadline/asynchronous.rs")]
#[cfg_attr(feature = "alternative-channels-and-positions", path = "../alternatives/channels-and-positions/asynchronous.rs")]
mod asynchronous;
#[cfg_attr(feature = "mistake-no-read-timeout", path = "../mistakes/no-read-timeout/fetch.rs")]
#[cfg_attr(feature = "mistake-cut-reply-accepted", path = "../mistakes/cut-reply-accepted/fetch.rs")]
#[cfg_attr(feature = "alternative-channels-and-positions", path = "../alternatives/channels-and-positions/fetch.rs")]
mod fetch;
#[cfg_attr(feature = "alternative-channels-and-positions", path = "../alternatives/channels-and-positions/table.rs")]
mod table;
#[cfg_attr(feature = "mistake-threads-hold-the-gil", path = "../mistakes/threads-hold-the-gil/threads.rs")]
#[cfg_attr(feature = "mistake-threads-joined-in-turn", path = "../mistakes/threads-joined-in-turn/threads.rs")]
#[cfg_attr(feature = "alternative-channels-and-positions", path = "../alternatives/channels-and-positions/threads.rs")]
mod threads;

pub use asynchronous::{fetch_async, fetch_page_async};
pub use fetch::{fetch_page, fetch_sequential};
pub use table::technique_table;
pub use threads::fetch_with_threads;

// The multiprocessing client and the showdown: the exercise's own files, used as is.
#[path = "../../../exercises/09-io-bound-showdown/src/processes.rs"]
mod processes;
#[path = "../../../exercises/09-io-bound-showdown/src/showdown.rs"]
mod showdown;
pub use processes::fetch_with_processes;
pub use showdown::{Row, Showdown, Technique, measure};
