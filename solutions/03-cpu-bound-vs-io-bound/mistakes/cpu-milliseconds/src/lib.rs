//! The reference solution of chapter 03 with one mistake: classify by CPU milliseconds,
//! not by the share of the wall time (see `classify.rs`). Every other module is the
//! solution's own file, or the exercise's for the code the course gives.

#[path = "../../../../../exercises/03-cpu-bound-vs-io-bound/src/class.rs"]
mod class;
mod classify;
#[path = "../../../../../exercises/03-cpu-bound-vs-io-bound/src/clocks.rs"]
pub mod clocks;
#[path = "../../../src/measure.rs"]
mod measure;
#[path = "../../../src/share.rs"]
mod share;
#[path = "../../../../../exercises/03-cpu-bound-vs-io-bound/src/usage.rs"]
mod usage;

pub use class::Class;
pub use classify::classify;
pub use measure::measure;
pub use usage::Usage;
