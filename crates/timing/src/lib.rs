//! The one helper every timing check of the course goes through.
//!
//! The course's machines are shared and have two cores: a hard wall-clock assertion
//! there fails at random. So a check here
//! - times both versions in the same run, interleaved (baseline, candidate, baseline, …),
//!   and compares the **minimum** of each: a neighbour's pauses only ever add time;
//! - sizes the work so one run is long enough to time ([`size_work`]);
//! - probes how many cores are free ([`free_cores`]) around a claim that needs
//!   parallelism, and says `[inconclusive]` instead of guessing when they are not;
//! - checks structure beside speed ([`Activity`], [`Comparison::expect_parallel`]), so a
//!   faster sequential algorithm cannot pass a parallelism claim;
//! - prints one line starting with `report: ` with both figures, the ratio, what was
//!   required and the verdict.
//!
//! Beside the comparison: [`Meeting`] (did k calls run at the same moment?),
//! [`blocked_waiting`] (did a waiting thread sleep, or spin and poll?), [`bounded`]
//! (learner code that cannot hang a check), [`stats`].
//!
//! ```no_run
//! let data: Vec<u64> = (0..1_000_000).collect();
//! let activity = timing::Activity::new();
//! let sum = |part: &[u64]| {
//!     let _w = activity.enter();
//!     part.iter().map(|x| x * x).sum::<u64>()
//! };
//! let m = timing::compare("sum of squares, 2 threads vs 1")
//!     .baseline("1 thread", || sum(&data))
//!     .candidate("2 threads", || {
//!         let (left, right) = data.split_at(data.len() / 2);
//!         std::thread::scope(|s| {
//!             let l = s.spawn(|| sum(left));
//!             sum(right) + l.join().expect("the worker panicked")
//!         })
//!     })
//!     .expect_candidate_faster(1.5)
//!     .expect_parallel(&activity, 2)
//!     .check();
//! assert!(m.speedup() >= 1.5);
//! ```

mod activity;
pub mod blocked_waiting;
mod bounded;
mod clock;
mod compare;
mod exclusive;
mod meeting;
mod probe;
mod report;
mod sizing;
pub mod stats;
mod usage;

pub use activity::{
    Activity, ActivityGuard, ActivityReport, Interval, ParseIntervalError, max_overlap,
};
pub use bounded::{StillRunning, bounded};
pub use clock::{current_cpu, monotonic_ns, thread_cpu_ns};
pub use compare::{CLEAR_MARGIN, Comparison, DEFAULT_MAX_PAIRS, Expectation, MIN_PAIRS, Measurement, PROBE_EVERY, compare};
pub use meeting::{Attendance, Meeting};
pub use probe::{available_cores, free_cores, free_cores_among, pin_current_thread};
pub use report::REPORT_PREFIX;
pub use sizing::size_work;
pub use usage::{Usage, measure};

/// The line a process prints once, the first time it measures (a comparison, a probe of
/// free cores, sizing work), when [`ANNOUNCE_MEASURING`] is set: the runner's `verify` reads it to prove that every check
/// that measures is marked `// timed` in its checks file.
pub const MEASURED: &str = "[timing: this check measures]";

/// The environment variable the runner sets when it wants [`MEASURED`] printed.
pub const ANNOUNCE_MEASURING: &str = "TIMING_ANNOUNCE_MEASURING";

/// The marker that opens the panic message of a check that could not measure; the
/// runner maps it to a verdict that is never counted as passed.
pub const INCONCLUSIVE: &str = "[inconclusive]";

/// Ends the check as inconclusive: panics with a message starting `[inconclusive]`
/// (added unless `message` already starts with it). Say what was missing and what to do.
#[track_caller]
pub fn inconclusive(message: impl std::fmt::Display) -> ! {
    let message = message.to_string();
    if message.starts_with(INCONCLUSIVE) {
        panic!("{message}");
    }
    panic!("{INCONCLUSIVE} {message}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inconclusive_opens_its_message_with_the_marker_once() {
        for message in ["needs a GPU", "[inconclusive] needs a GPU"] {
            let panic = std::panic::catch_unwind(|| inconclusive(message))
                .expect_err("inconclusive always panics");
            let text = panic.downcast_ref::<String>().expect("a formatted message");
            assert_eq!(text, "[inconclusive] needs a GPU");
        }
    }
}
