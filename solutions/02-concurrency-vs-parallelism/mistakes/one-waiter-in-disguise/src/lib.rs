//! The reference solution of chapter 02 with one mistake: `staff` joins each worker's
//! thread right after starting it (see `staff.rs`). Every other module is the
//! solution's own file, or the exercise's for the code the course gives.

#[path = "../../../../../exercises/02-concurrency-vs-parallelism/src/floor.rs"]
pub mod floor;
#[path = "../../../src/round_robin.rs"]
mod round_robin;
#[path = "../../../../../exercises/02-concurrency-vs-parallelism/src/service.rs"]
pub mod service;
mod staff;

pub use floor::{Floor, Kitchen, Served, StepClock};
pub use round_robin::round_robin;
pub use service::{MEAL, Service, Step, three_tables, two_lines};
pub use staff::staff;
