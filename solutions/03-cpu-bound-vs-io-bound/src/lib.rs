//! Chapter 03: CPU-bound vs I/O-bound, the reference solution.
//!
//! `measure` reads a thread's wall, CPU and run-queue clocks around a task;
//! `Usage::cpu_share` is the share of the task's own time it computed; `classify`
//! turns that share into CPU-bound, I/O-bound or mixed.
//! The exercise's `examples/classify.rs` measures the checks' task mix and prints the
//! table of the book's page.

// The code the course gives lives once, in the exercise.
#[path = "../../../exercises/03-cpu-bound-vs-io-bound/src/class.rs"]
mod class;
#[cfg_attr(feature = "mistake-cpu-milliseconds", path = "../mistakes/cpu-milliseconds/classify.rs")]
#[cfg_attr(feature = "mistake-wall-time-only", path = "../mistakes/wall-time-only/classify.rs")]
#[cfg_attr(feature = "mistake-thresholds-at-the-extremes", path = "../mistakes/thresholds-at-the-extremes/classify.rs")]
#[cfg_attr(feature = "alternative-checked-arithmetic", path = "../alternatives/checked-arithmetic/classify.rs")]
mod classify;
#[path = "../../../exercises/03-cpu-bound-vs-io-bound/src/clocks.rs"]
pub mod clocks;
#[cfg_attr(feature = "mistake-process-cpu", path = "../mistakes/process-cpu/measure.rs")]
#[cfg_attr(feature = "mistake-task-on-a-thread-of-its-own", path = "../mistakes/task-on-a-thread-of-its-own/measure.rs")]
#[cfg_attr(feature = "mistake-no-queue-clock", path = "../mistakes/no-queue-clock/measure.rs")]
#[cfg_attr(feature = "alternative-checked-arithmetic", path = "../alternatives/checked-arithmetic/measure.rs")]
mod measure;
#[cfg_attr(feature = "mistake-cpu-over-wall", path = "../mistakes/cpu-over-wall/share.rs")]
#[cfg_attr(feature = "mistake-subtracts-without-saturating", path = "../mistakes/subtracts-without-saturating/share.rs")]
#[cfg_attr(feature = "alternative-checked-arithmetic", path = "../alternatives/checked-arithmetic/share.rs")]
mod share;
#[path = "../../../exercises/03-cpu-bound-vs-io-bound/src/usage.rs"]
mod usage;

pub use class::Class;
pub use classify::classify;
pub use measure::measure;
pub use usage::Usage;
