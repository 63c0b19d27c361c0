//! Wall time and CPU time of one piece of work.

use std::time::{Duration, Instant};

use crate::clock;

/// What one run cost: wall time, CPU time of this process (all its threads) and CPU
/// time of the child processes it waited for during the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Wall-clock time from start to end.
    pub wall: Duration,
    /// CPU time (user + system) of this process, all threads (`getrusage(RUSAGE_SELF)`).
    pub cpu_self: Duration,
    /// CPU time of children waited for during the run (`getrusage(RUSAGE_CHILDREN)`);
    /// a child that is still running when the run ends is not counted.
    pub cpu_children: Duration,
}

impl Usage {
    /// Total CPU time: this process plus its waited-for children.
    pub fn cpu(&self) -> Duration {
        self.cpu_self + self.cpu_children
    }

    /// CPU time over wall time: about 1.0 for one busy thread, about N for N threads
    /// computing at once, below 1.0 when the work waits. 0.0 for a zero-length run.
    pub fn cpu_over_wall(&self) -> f64 {
        if self.wall.is_zero() {
            return 0.0;
        }
        self.cpu().as_secs_f64() / self.wall.as_secs_f64()
    }
}

/// Runs `f` once and returns its result with what it cost ([`Usage`]).
///
/// CPU time is process-wide: anything else running in this process at the same time
/// (another test thread) is counted too.
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, Usage) {
    let cpu_self = clock::process_cpu();
    let cpu_children = clock::children_cpu();
    let start = Instant::now();
    let result = f();
    let wall = start.elapsed();
    let usage = Usage {
        wall,
        cpu_self: clock::process_cpu().saturating_sub(cpu_self),
        cpu_children: clock::children_cpu().saturating_sub(cpu_children),
    };
    (result, usage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_over_wall_of_an_empty_run_is_zero() {
        assert_eq!(Usage::default().cpu_over_wall(), 0.0);
    }

    #[test]
    fn cpu_over_wall_adds_children_to_self() {
        let usage = Usage {
            wall: Duration::from_millis(100),
            cpu_self: Duration::from_millis(50),
            cpu_children: Duration::from_millis(100),
        };
        assert!((usage.cpu_over_wall() - 1.5).abs() < 1e-9);
    }

    #[test]
    fn measure_returns_the_result_and_the_wall_time() {
        let (value, usage) = measure(|| {
            std::thread::sleep(Duration::from_millis(20));
            42
        });
        assert_eq!(value, 42);
        assert!(
            usage.wall >= Duration::from_millis(20),
            "wall was {:?}",
            usage.wall
        );
    }
}
