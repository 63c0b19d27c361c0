//! The reference solution of chapter 02: concurrency vs parallelism. The services and
//! the floors are the exercise's own files, given to the learner.

#[path = "../../../exercises/02-concurrency-vs-parallelism/src/floor.rs"]
pub mod floor;
#[cfg_attr(feature = "mistake-one-table-at-a-time", path = "../mistakes/one-table-at-a-time/round_robin.rs")]
#[cfg_attr(
    feature = "mistake-stops-when-one-table-is-done",
    path = "../mistakes/stops-when-one-table-is-done/round_robin.rs"
)]
#[cfg_attr(feature = "alternative-rounds-by-index", path = "../alternatives/rounds-by-index/round_robin.rs")]
mod round_robin;
#[path = "../../../exercises/02-concurrency-vs-parallelism/src/service.rs"]
pub mod service;
#[cfg_attr(feature = "mistake-one-waiter-in-disguise", path = "../mistakes/one-waiter-in-disguise/staff.rs")]
#[cfg_attr(feature = "mistake-a-thread-per-table", path = "../mistakes/a-thread-per-table/staff.rs")]
#[cfg_attr(feature = "mistake-as-many-threads-as-cores", path = "../mistakes/as-many-threads-as-cores/staff.rs")]
#[cfg_attr(feature = "alternative-rounds-by-index", path = "../alternatives/rounds-by-index/staff.rs")]
mod staff;

pub use floor::{Floor, Kitchen, Served, StepClock};
pub use round_robin::round_robin;
pub use service::{MEAL, Service, Step, three_tables, two_lines};
pub use staff::staff;
