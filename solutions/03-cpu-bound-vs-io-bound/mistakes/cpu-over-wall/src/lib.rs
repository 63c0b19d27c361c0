//! The reference solution of chapter 03 with one mistake: cpu_share as CPU time over
//! wall time, counting the time queued for a CPU as waiting (see `share.rs`). Every
//! other module is the solution's own file, or the exercise's for the code the course
//! gives.

#[path = "../../../../../exercises/03-cpu-bound-vs-io-bound/src/class.rs"]
mod class;
#[path = "../../../src/classify.rs"]
mod classify;
#[path = "../../../../../exercises/03-cpu-bound-vs-io-bound/src/clocks.rs"]
pub mod clocks;
#[path = "../../../src/measure.rs"]
mod measure;
mod share;
#[path = "../../../../../exercises/03-cpu-bound-vs-io-bound/src/usage.rs"]
mod usage;

pub use class::Class;
pub use classify::classify;
pub use measure::measure;
pub use usage::Usage;
