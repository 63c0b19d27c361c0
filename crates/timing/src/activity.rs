//! Who worked when, and where: the structural half of a parallelism claim.
//!
//! Every piece of work records an [`Interval`] (start, end, CPU ids, CPU time). From the
//! intervals alone we know how many workers ran at once and on how many CPUs, whether
//! they were threads of this process or child processes that sent their intervals back.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::clock::{current_cpu, monotonic_ns, thread_cpu_ns};

/// One worker's stretch of work: plain data, so a child process can send it to its
/// parent as a line of text (`Display` writes it, `FromStr` reads it back).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    /// [`monotonic_ns`] when the work started.
    pub start_ns: u64,
    /// [`monotonic_ns`] when the work ended.
    pub end_ns: u64,
    /// The CPU the worker was on when it started, if known.
    pub cpu_at_start: Option<usize>,
    /// The CPU the worker was on when it ended, if known.
    pub cpu_at_end: Option<usize>,
    /// CPU time the worker used between start and end, if it measured it.
    pub cpu_time_ns: Option<u64>,
}

impl Interval {
    /// Runs `f` and returns its result with the interval it occupied: timestamps, the
    /// CPU ids at both ends and the calling thread's CPU time. Meant for worker
    /// processes, which send the interval to the parent (see [`Activity::record`]).
    pub fn measure<R>(f: impl FnOnce() -> R) -> (R, Interval) {
        let open = Open::now();
        let result = f();
        (result, open.close())
    }

    /// Wall time from start to end (zero if `end_ns` is before `start_ns`).
    pub fn duration(&self) -> Duration {
        Duration::from_nanos(self.end_ns.saturating_sub(self.start_ns))
    }
}

/// Written as `interval <start_ns> <end_ns> <cpu_at_start> <cpu_at_end> <cpu_time_ns>`,
/// with `-` for an unknown value: one line, easy to send over a pipe.
impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn opt<T: fmt::Display>(value: Option<T>) -> String {
            value.map_or_else(|| "-".to_string(), |v| v.to_string())
        }
        write!(
            f,
            "interval {} {} {} {} {}",
            self.start_ns,
            self.end_ns,
            opt(self.cpu_at_start),
            opt(self.cpu_at_end),
            opt(self.cpu_time_ns)
        )
    }
}

/// Why a line is not an [`Interval`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseIntervalError(String);

impl fmt::Display for ParseIntervalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseIntervalError {}

impl FromStr for Interval {
    type Err = ParseIntervalError;

    /// Reads the line `Display` writes; surrounding whitespace is ignored.
    fn from_str(line: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| {
            ParseIntervalError(format!(
                "{line:?} is not an interval ({why}); expected \
                 `interval <start_ns> <end_ns> <cpu|-> <cpu|-> <cpu_time_ns|->`"
            ))
        };
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [tag, start, end, cpu_start, cpu_end, cpu_time] = fields[..] else {
            return Err(bad("wrong number of fields"));
        };
        if tag != "interval" {
            return Err(bad("it does not start with `interval`"));
        }
        let number = |s: &str| s.parse::<u64>().map_err(|_| bad("a field is not a number"));
        let optional = |s: &str| {
            if s == "-" {
                Ok(None)
            } else {
                number(s).map(Some)
            }
        };
        let cpu = |s: &str| {
            optional(s)?
                .map(|c| usize::try_from(c).map_err(|_| bad("a CPU id is too large")))
                .transpose()
        };
        Ok(Interval {
            start_ns: number(start)?,
            end_ns: number(end)?,
            cpu_at_start: cpu(cpu_start)?,
            cpu_at_end: cpu(cpu_end)?,
            cpu_time_ns: optional(cpu_time)?,
        })
    }
}

/// The start of an interval, taken on the worker's own thread.
struct Open {
    start_ns: u64,
    cpu_at_start: Option<usize>,
    thread_cpu_at_start: Option<u64>,
}

impl Open {
    fn now() -> Open {
        let cpu_at_start = current_cpu();
        let thread_cpu_at_start = thread_cpu_ns();
        Open {
            start_ns: monotonic_ns(),
            cpu_at_start,
            thread_cpu_at_start,
        }
    }

    fn close(self) -> Interval {
        let end_ns = monotonic_ns();
        let cpu_time_ns = match (self.thread_cpu_at_start, thread_cpu_ns()) {
            (Some(start), Some(end)) => Some(end.saturating_sub(start)),
            _ => None,
        };
        Interval {
            start_ns: self.start_ns,
            end_ns,
            cpu_at_start: self.cpu_at_start,
            cpu_at_end: current_cpu(),
            cpu_time_ns,
        }
    }
}

/// Records which workers ran when and where. Cloning shares the same record, so a
/// clone can move into a `'static` thread.
#[derive(Clone, Debug, Default)]
pub struct Activity {
    shared: Arc<Shared>,
}

#[derive(Debug, Default)]
struct Shared {
    intervals: Mutex<Vec<Interval>>,
    live: AtomicUsize,
    peak: AtomicUsize,
}

impl Activity {
    /// An empty record.
    pub fn new() -> Activity {
        Activity::default()
    }

    /// Marks the calling thread as a worker until the guard drops; the guard records
    /// the interval, the CPU ids at enter and at drop, and the thread's CPU time.
    pub fn enter(&self) -> ActivityGuard<'_> {
        let live = self.shared.live.fetch_add(1, Ordering::SeqCst) + 1;
        self.shared.peak.fetch_max(live, Ordering::SeqCst);
        ActivityGuard {
            shared: &self.shared,
            open: Some(Open::now()),
        }
    }

    /// Adds an interval observed elsewhere (a worker process), without CPU time.
    pub fn record_interval(&self, start_ns: u64, end_ns: u64, cpu: Option<usize>) {
        self.record(Interval {
            start_ns,
            end_ns,
            cpu_at_start: cpu,
            cpu_at_end: cpu,
            cpu_time_ns: None,
        });
    }

    /// Adds an interval observed elsewhere, e.g. parsed from a worker process's line.
    pub fn record(&self, interval: Interval) {
        self.intervals().push(interval);
    }

    /// Forgets every recorded interval; workers still inside a guard stay counted.
    pub fn clear(&self) {
        self.intervals().clear();
        let live = self.shared.live.load(Ordering::SeqCst);
        self.shared.peak.store(live, Ordering::SeqCst);
    }

    /// What has been recorded so far (intervals of workers still inside a guard are
    /// not included, but they count towards `max_concurrent`).
    pub fn report(&self) -> ActivityReport {
        let intervals = self.intervals().clone();
        let peak = self.shared.peak.load(Ordering::SeqCst);
        ActivityReport::from_intervals(intervals, peak)
    }

    fn intervals(&self) -> std::sync::MutexGuard<'_, Vec<Interval>> {
        // Nothing panics while the lock is held, so a poisoned lock still holds good data.
        self.shared
            .intervals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// A worker inside an [`Activity`]; dropping it records the worker's interval.
#[must_use = "the worker counts as running only while the guard lives: `let _w = activity.enter();`"]
#[derive(Debug)]
pub struct ActivityGuard<'a> {
    shared: &'a Shared,
    open: Option<Open>,
}

impl fmt::Debug for Open {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Open")
            .field("start_ns", &self.start_ns)
            .finish_non_exhaustive()
    }
}

impl Drop for ActivityGuard<'_> {
    fn drop(&mut self) {
        if let Some(open) = self.open.take() {
            let interval = open.close();
            self.shared
                .intervals
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(interval);
        }
        self.shared.live.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What an [`Activity`] saw: how many workers ran at once, on which CPUs, and for how
/// long. All figures are computed from the intervals, so they are the same whether
/// the workers were threads or processes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ActivityReport {
    /// The most workers that were running at the same moment.
    pub max_concurrent: usize,
    /// How many distinct CPU ids the workers were seen on.
    pub distinct_cpus: usize,
    /// Those CPU ids, ascending.
    pub cpus: Vec<usize>,
    /// How many intervals were recorded.
    pub workers: usize,
    /// Wall time from the first start to the last end.
    pub span: Duration,
    /// Sum of the intervals' lengths.
    pub busy: Duration,
    /// Sum of the CPU time the workers recorded; `None` if none recorded any.
    pub worker_cpu: Option<Duration>,
    /// The intervals themselves, in the order they were recorded.
    pub intervals: Vec<Interval>,
}

impl ActivityReport {
    /// Builds the report of `intervals`; `live_peak` is a high-water mark of workers
    /// counted while they ran, and raises `max_concurrent` if it is higher.
    pub fn from_intervals(intervals: Vec<Interval>, live_peak: usize) -> ActivityReport {
        let cpus: BTreeSet<usize> = intervals
            .iter()
            .flat_map(|i| [i.cpu_at_start, i.cpu_at_end])
            .flatten()
            .collect();
        let span = match (
            intervals.iter().map(|i| i.start_ns).min(),
            intervals.iter().map(|i| i.end_ns).max(),
        ) {
            (Some(first), Some(last)) => Duration::from_nanos(last.saturating_sub(first)),
            _ => Duration::ZERO,
        };
        let busy = intervals.iter().map(Interval::duration).sum();
        let recorded: Vec<u64> = intervals.iter().filter_map(|i| i.cpu_time_ns).collect();
        let worker_cpu = (!recorded.is_empty())
            .then(|| Duration::from_nanos(recorded.iter().fold(0u64, |a, &b| a.saturating_add(b))));
        ActivityReport {
            max_concurrent: max_overlap(&intervals).max(live_peak),
            distinct_cpus: cpus.len(),
            cpus: cpus.into_iter().collect(),
            workers: intervals.len(),
            span,
            busy,
            worker_cpu,
            intervals,
        }
    }

    /// Workers running on average over the span (busy time over span); 0.0 if empty.
    pub fn average_concurrency(&self) -> f64 {
        if self.span.is_zero() {
            return 0.0;
        }
        self.busy.as_secs_f64() / self.span.as_secs_f64()
    }
}

/// The most intervals that overlap at one moment. Intervals are half-open
/// (`start_ns..end_ns`): one that ends exactly when another starts does not overlap it.
pub fn max_overlap(intervals: &[Interval]) -> usize {
    // Sweep the starts and ends in time order; at equal times ends (false) sort first.
    let mut events: Vec<(u64, bool)> = intervals
        .iter()
        .filter(|i| i.end_ns > i.start_ns)
        .flat_map(|i| [(i.start_ns, true), (i.end_ns, false)])
        .collect();
    events.sort_unstable();
    let (mut running, mut most) = (0usize, 0usize);
    for (_, is_start) in events {
        if is_start {
            running += 1;
            most = most.max(running);
        } else {
            running = running.saturating_sub(1);
        }
    }
    most
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Barrier;
    use std::thread;

    fn iv(start_ns: u64, end_ns: u64) -> Interval {
        Interval {
            start_ns,
            end_ns,
            cpu_at_start: None,
            cpu_at_end: None,
            cpu_time_ns: None,
        }
    }

    #[test]
    fn no_intervals_overlap_zero() {
        assert_eq!(max_overlap(&[]), 0);
    }

    #[test]
    fn intervals_one_after_another_overlap_one() {
        assert_eq!(max_overlap(&[iv(0, 10), iv(20, 30), iv(40, 50)]), 1);
    }

    #[test]
    fn an_interval_ending_as_the_next_starts_does_not_overlap_it() {
        assert_eq!(max_overlap(&[iv(0, 10), iv(10, 20), iv(20, 30)]), 1);
    }

    #[test]
    fn nested_and_staggered_intervals_count_every_overlap() {
        // 0..100 holds 10..20 and 15..60; 50..70 overlaps 15..60 and 0..100.
        let intervals = [iv(0, 100), iv(10, 20), iv(15, 60), iv(50, 70), iv(200, 300)];
        assert_eq!(max_overlap(&intervals), 3);
    }

    #[test]
    fn empty_and_reversed_intervals_never_count() {
        assert_eq!(max_overlap(&[iv(5, 5), iv(9, 3)]), 0);
        assert_eq!(max_overlap(&[iv(0, 10), iv(5, 5)]), 1);
    }

    #[test]
    fn overlap_is_the_same_in_any_recording_order() {
        let mut intervals = vec![iv(0, 10), iv(5, 15), iv(8, 12), iv(20, 30)];
        assert_eq!(max_overlap(&intervals), 3);
        intervals.reverse();
        assert_eq!(max_overlap(&intervals), 3);
    }

    #[test]
    fn report_sums_busy_time_span_and_cpus() {
        let mut a = iv(0, 100);
        a.cpu_at_start = Some(0);
        a.cpu_at_end = Some(1);
        a.cpu_time_ns = Some(90);
        let mut b = iv(50, 150);
        b.cpu_at_start = Some(1);
        b.cpu_at_end = Some(1);
        let report = ActivityReport::from_intervals(vec![a, b], 0);
        assert_eq!(report.max_concurrent, 2);
        assert_eq!(report.cpus, vec![0, 1]);
        assert_eq!(report.distinct_cpus, 2);
        assert_eq!(report.span, Duration::from_nanos(150));
        assert_eq!(report.busy, Duration::from_nanos(200));
        assert_eq!(report.worker_cpu, Some(Duration::from_nanos(90)));
        assert!((report.average_concurrency() - 200.0 / 150.0).abs() < 1e-9);
    }

    #[test]
    fn workers_that_wait_for_each_other_inside_their_guards_ran_at_once() {
        let activity = Activity::new();
        let both_inside = Barrier::new(2);
        thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    let _w = activity.enter();
                    both_inside.wait();
                });
            }
        });
        let report = activity.report();
        assert_eq!(report.workers, 2);
        assert_eq!(report.max_concurrent, 2, "{report:?}");
        assert!(report.worker_cpu.is_some());
    }

    #[test]
    fn workers_one_after_another_never_ran_at_once() {
        let activity = Activity::new();
        for _ in 0..3 {
            let _w = activity.enter();
            thread::sleep(Duration::from_millis(1));
        }
        let report = activity.report();
        assert_eq!(report.workers, 3);
        assert_eq!(report.max_concurrent, 1);
        assert!(report.average_concurrency() <= 1.0 + 1e-9);
    }

    #[test]
    fn clear_forgets_intervals_and_the_high_water_mark() {
        let activity = Activity::new();
        activity.record_interval(0, 10, Some(0));
        activity.record_interval(5, 15, Some(1));
        assert_eq!(activity.report().max_concurrent, 2);
        activity.clear();
        let report = activity.report();
        assert_eq!((report.workers, report.max_concurrent), (0, 0));
    }

    #[test]
    fn a_live_guard_counts_towards_concurrency() {
        let activity = Activity::new();
        let _outer = activity.enter();
        drop(activity.enter());
        assert_eq!(activity.report().max_concurrent, 2);
    }

    #[test]
    fn an_interval_survives_a_trip_through_text() {
        let ((), measured) = Interval::measure(|| thread::sleep(Duration::from_millis(1)));
        let line = measured.to_string();
        assert!(line.starts_with("interval "), "{line}");
        assert_eq!(line.parse::<Interval>(), Ok(measured));
        let unknown = iv(3, 4);
        assert_eq!(unknown.to_string(), "interval 3 4 - - -");
        assert_eq!(" interval 3 4 - - -\n".parse::<Interval>(), Ok(unknown));
    }

    #[test]
    fn a_malformed_line_says_what_was_expected() {
        let err = "interval 1 two - - -".parse::<Interval>().unwrap_err();
        assert!(err.to_string().contains("not a number"), "{err}");
        let err = "hello".parse::<Interval>().unwrap_err();
        assert!(err.to_string().contains("expected `interval"), "{err}");
    }
}
