//! Exercise 03: CPU-bound vs I/O-bound.
//!
//! A task's wall time says how long it took; its CPU time says how much of that it
//! computed. Here you measure both and tell a task that computes from one that
//! waits. Replace every `todo!()` in these files, then run `cargo xtask check`:
//!
//! - `measure.rs`: `measure`, which runs a task and reads its clocks;
//! - `share.rs`: `Usage::cpu_share`, the share of its own time a task computed;
//! - `classify.rs`: `classify`, CPU-bound, I/O-bound or mixed from that share.
//!
//! Written for you: `clocks.rs` (the calling thread's CPU clock and run-queue clock),
//! `usage.rs` (what a run cost) and `class.rs` (the three classes).

mod class;
mod classify;
pub mod clocks;
mod measure;
mod share;
mod usage;

pub use class::Class;
pub use classify::classify;
pub use measure::measure;
pub use usage::Usage;
