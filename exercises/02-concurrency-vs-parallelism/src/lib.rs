//! Chapter 02: concurrency vs parallelism, with the notes' waiter and cashiers.
//!
//! - [`round_robin`]: one worker interleaves several services on one thread
//!   (concurrency). You write it, in `round_robin.rs`.
//! - [`staff`]: several workers, each on a thread of its own (parallelism, when there
//!   are free cores). You write it, in `staff.rs`.
//!
//! Given: the services ([`three_tables`], [`two_lines`]) and the floors the steps are
//! served on ([`StepClock`] keeps virtual time, [`Kitchen`] does real work).

pub mod floor;
mod round_robin;
pub mod service;
mod staff;

pub use floor::{Floor, Kitchen, Served, StepClock};
pub use round_robin::round_robin;
pub use service::{MEAL, Service, Step, three_tables, two_lines};
pub use staff::staff;
