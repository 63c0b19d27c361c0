//! The reference solution of chapter 03 with one mistake: measure reads the CPU time of
//! the whole process (getrusage) instead of the task's thread (see `measure.rs`). Every
//! other module is the solution's own file, or the exercise's for the code the course
//! gives.

#[path = "../../../../../exercises/03-cpu-bound-vs-io-bound/src/class.rs"]
mod class;
#[path = "../../../src/classify.rs"]
mod classify;
#[path = "../../../../../exercises/03-cpu-bound-vs-io-bound/src/clocks.rs"]
pub mod clocks;
mod measure;
#[path = "../../../src/share.rs"]
mod share;
#[path = "../../../../../exercises/03-cpu-bound-vs-io-bound/src/usage.rs"]
mod usage;

pub use class::Class;
pub use classify::classify;
pub use measure::measure;
pub use usage::Usage;
