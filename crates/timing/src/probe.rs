//! The free-core probe: how much CPU this process can get right now.

use std::thread;
use std::time::{Duration, Instant};

use crate::clock;

/// How long each probe thread spins. Long enough for the scheduler to share cores
/// out fairly between us and other tenants (several 4 ms ticks), short enough to
/// probe before every pair of runs.
pub(crate) const PROBE_SPIN: Duration = Duration::from_millis(40);

/// Time given to every probe thread to start before the measured window opens.
const PROBE_START: Duration = Duration::from_millis(5);

/// A core counts as free when a probe thread got this share of it: the probe's own
/// start-up and the scheduler's bookkeeping cost a little even on an idle machine,
/// while a neighbour that keeps a core busy takes a third or more of it from us.
pub(crate) const FREE_SHARE: f64 = 0.85;

/// How many cores this process may use at most (`available_parallelism`, which
/// follows CPU affinity and cgroup quotas); 1 if the system cannot tell.
pub fn available_cores() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

/// How many cores are free right now, out of all the cores this process may use:
/// spins one thread per core for about 40 ms and returns the sum of each thread's CPU
/// time over the wall time (between 0 and [`available_cores`]).
pub fn free_cores() -> f64 {
    free_cores_among(available_cores())
}

/// How many of `threads` cores are free right now: spins `threads` threads for about
/// 40 ms and returns their CPU time over wall time, summed (between 0 and `threads`).
pub fn free_cores_among(threads: usize) -> f64 {
    let _one_at_a_time = crate::exclusive::Exclusive::take();
    probe(threads.max(1), PROBE_SPIN)
}

/// True when a probe of `needed` cores found them free (see [`FREE_SHARE`]).
pub(crate) fn enough(free: f64, needed: usize) -> bool {
    free >= needed as f64 * FREE_SHARE
}

fn probe(threads: usize, spin: Duration) -> f64 {
    // Every thread measures the same window, fixed before any of them starts: a thread
    // the scheduler starts late gets less CPU in the window, which is the point.
    let opens = Instant::now() + PROBE_START;
    let closes = opens + spin;
    let cpus = allowed_cpus();
    thread::scope(|scope| {
        let spinners: Vec<_> = (0..threads)
            .map(|i| {
                let cpu = cpus.get(i).copied();
                thread::Builder::new().name("timing-probe".into()).spawn_scoped(scope, move || {
                    // One probe thread per core, pinned there: left to the scheduler, two
                    // new threads often start side by side on the idle core and the busy
                    // core's share goes unmeasured within 40 ms. Pinned, each thread
                    // measures what its core would give us (half of a core a neighbour
                    // keeps busy), which is what a longer parallel run gets once the
                    // scheduler has balanced it.
                    if let Some(cpu) = cpu {
                        let _ = pin_to(cpu);
                    }
                    spin_window(opens, closes)
                })
            })
            .collect();
        // A thread that could not be spawned contributes nothing: its core is not ours.
        spinners
            .into_iter()
            .filter_map(Result::ok)
            .map(|handle| handle.join().unwrap_or(0.0))
            .sum()
    })
}

/// Keeps the calling thread on the `nth` CPU this process may run on (counting round
/// when `nth` is past the last one). Returns false when it could not: not Linux, or the
/// system would not say which CPUs are ours. A check that races two threads pins them to
/// different CPUs, so that a thread woken by the other does not preempt it on its own
/// CPU; nothing else should need it.
pub fn pin_current_thread(nth: usize) -> bool {
    let cpus = allowed_cpus();
    if cpus.is_empty() {
        return false;
    }
    pin_to(cpus[nth % cpus.len()])
}

/// The CPUs this process may run on, in order (empty if the system cannot tell).
fn allowed_cpus() -> Vec<usize> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: `set` is a plain bit set that the kernel fills in; the size passed is
        // its own.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
                return Vec::new();
            }
            (0..libc::CPU_SETSIZE as usize).filter(|&cpu| libc::CPU_ISSET(cpu, &set)).collect()
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        Vec::new()
    }
}

/// Keeps the calling thread on `cpu` (Linux; elsewhere, and on failure, it stays where
/// the scheduler puts it, and this returns false).
fn pin_to(cpu: usize) -> bool {
    #[cfg(target_os = "linux")]
    // SAFETY: as in `allowed_cpus`; 0 names the calling thread.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = cpu;
        false
    }
}

/// Spins from `opens` to `closes` and returns the share of that window this thread
/// got on a CPU (0.0 to 1.0).
fn spin_window(opens: Instant, closes: Instant) -> f64 {
    let now = Instant::now();
    if now < opens {
        thread::sleep(opens - now);
    }
    let Some(cpu_start) = clock::thread_cpu_ns() else {
        return 0.0;
    };
    while Instant::now() < closes {
        std::hint::spin_loop();
    }
    let cpu = clock::thread_cpu_ns().map_or(0, |end| end.saturating_sub(cpu_start));
    let window = closes.saturating_duration_since(opens);
    if window.is_zero() {
        return 0.0;
    }
    (cpu as f64 / window.as_nanos() as f64).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_result_lies_between_zero_and_the_threads_spun() {
        let free = free_cores_among(2);
        assert!((0.0..=2.0).contains(&free), "free cores {free}");
    }

    #[test]
    fn a_core_is_free_at_85_percent() {
        assert!(enough(1.7, 2));
        assert!(!enough(1.6, 2));
        assert!(enough(0.9, 1));
    }
}
