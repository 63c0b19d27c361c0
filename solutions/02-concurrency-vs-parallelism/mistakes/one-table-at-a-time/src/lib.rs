//! The reference solution of chapter 02 with one mistake: `round_robin` serves one
//! table start to finish before the next (see `round_robin.rs`). Every other module is
//! the solution's own file, or the exercise's for the code the course gives.

#[path = "../../../../../exercises/02-concurrency-vs-parallelism/src/floor.rs"]
pub mod floor;
mod round_robin;
#[path = "../../../../../exercises/02-concurrency-vs-parallelism/src/service.rs"]
pub mod service;
#[path = "../../../src/staff.rs"]
mod staff;

pub use floor::{Floor, Kitchen, Served, StepClock};
pub use round_robin::round_robin;
pub use service::{MEAL, Service, Step, three_tables, two_lines};
pub use staff::staff;
