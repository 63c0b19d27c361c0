//! The clocks the crate reads: a monotonic clock comparable across processes,
//! per-thread CPU time, process CPU time (`getrusage`) and the CPU a thread is on.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Nanoseconds of `CLOCK_MONOTONIC`: never goes backwards, and on Linux the same clock
/// in every process, so a child process can send its timestamps to its parent.
pub fn monotonic_ns() -> u64 {
    clock_ns(libc::CLOCK_MONOTONIC).unwrap_or_else(|| {
        // CLOCK_MONOTONIC is always present on Linux and macOS; this fallback only keeps
        // the function total (timestamps are then comparable within this process only).
        static ANCHOR: OnceLock<Instant> = OnceLock::new();
        duration_ns(ANCHOR.get_or_init(Instant::now).elapsed())
    })
}

/// CPU time the calling thread has used so far (`CLOCK_THREAD_CPUTIME_ID`), in
/// nanoseconds; `None` if the system cannot tell.
pub fn thread_cpu_ns() -> Option<u64> {
    clock_ns(libc::CLOCK_THREAD_CPUTIME_ID)
}

/// The CPU the calling thread is running on right now (`sched_getcpu`); `None` where
/// the system cannot tell. The answer may be stale as soon as it is returned.
pub fn current_cpu() -> Option<usize> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: sched_getcpu takes no arguments and only reads scheduler state.
        let cpu = unsafe { libc::sched_getcpu() };
        usize::try_from(cpu).ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// CPU time (user + system) of this process, all threads, from `getrusage(RUSAGE_SELF)`.
pub(crate) fn process_cpu() -> Duration {
    rusage_cpu(libc::RUSAGE_SELF)
}

/// CPU time (user + system) of the children this process has waited for, from
/// `getrusage(RUSAGE_CHILDREN)`. A child still running is not counted yet.
pub(crate) fn children_cpu() -> Duration {
    rusage_cpu(libc::RUSAGE_CHILDREN)
}

fn clock_ns(clock: libc::clockid_t) -> Option<u64> {
    let mut ts = std::mem::MaybeUninit::<libc::timespec>::uninit();
    // SAFETY: `ts` points to writable memory the size of a timespec.
    let rc = unsafe { libc::clock_gettime(clock, ts.as_mut_ptr()) };
    if rc != 0 {
        return None;
    }
    // SAFETY: clock_gettime returned 0, so it filled `ts`.
    let ts = unsafe { ts.assume_init() };
    let secs = u64::try_from(ts.tv_sec).ok()?;
    let nanos = u64::try_from(ts.tv_nsec).ok()?;
    Some(secs.saturating_mul(1_000_000_000).saturating_add(nanos))
}

fn rusage_cpu(who: libc::c_int) -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
    // SAFETY: `usage` points to writable memory the size of a rusage.
    let rc = unsafe { libc::getrusage(who, usage.as_mut_ptr()) };
    if rc != 0 {
        return Duration::ZERO;
    }
    // SAFETY: getrusage returned 0, so it filled `usage`.
    let usage = unsafe { usage.assume_init() };
    timeval(usage.ru_utime) + timeval(usage.ru_stime)
}

fn timeval(tv: libc::timeval) -> Duration {
    let secs = u64::try_from(tv.tv_sec).unwrap_or(0);
    let micros = u64::try_from(tv.tv_usec).unwrap_or(0);
    Duration::from_secs(secs) + Duration::from_micros(micros)
}

/// A duration in whole nanoseconds, saturating at `u64::MAX` (about 584 years).
pub(crate) fn duration_ns(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monotonic_clock_never_goes_backwards() {
        let a = monotonic_ns();
        let b = monotonic_ns();
        assert!(b >= a, "monotonic_ns went from {a} to {b}");
    }

    #[test]
    fn thread_cpu_time_grows_while_the_thread_computes() {
        let before = thread_cpu_ns().expect("CLOCK_THREAD_CPUTIME_ID is available on Linux");
        let mut x = 0u64;
        for i in 0..2_000_000u64 {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
        }
        std::hint::black_box(x);
        let after = thread_cpu_ns().expect("CLOCK_THREAD_CPUTIME_ID is available on Linux");
        assert!(
            after > before,
            "thread CPU time did not grow: {before} -> {after}"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn current_cpu_is_one_of_the_machines_cpus() {
        let cpu = current_cpu().expect("sched_getcpu works on Linux");
        assert!(cpu < 4096, "implausible CPU id {cpu}");
    }
}
