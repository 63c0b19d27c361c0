//! The clocks of the calling thread, written for you: how much CPU time it has had, and
//! how long it has waited in a run queue for a CPU. Read each one before and after the
//! task; the difference is what the task cost.

use std::time::Duration;

// ANCHOR: thread_cpu
/// CPU time the calling thread has had so far: time it actually ran on a CPU, in user
/// code and in the kernel on its behalf (a `read` copying bytes counts), and nothing
/// else. Linux keeps it per thread (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`), so the
/// other threads of the process are not counted. Python: `time.thread_time()`.
pub fn thread_cpu() -> Duration {
    Duration::from_nanos(timing::thread_cpu_ns().unwrap_or(0))
}
// ANCHOR_END: thread_cpu

// ANCHOR: thread_queued
/// How long the calling thread has waited so far in a run queue: ready to run, but
/// every CPU was busy with someone else. Linux counts it per thread, in the second
/// number of `/proc/thread-self/schedstat`. Zero where the system does not say (not
/// Linux, or a kernel built without scheduler statistics): see [`can_see_queue`].
pub fn thread_queued() -> Duration {
    read_queued().unwrap_or(Duration::ZERO)
}

/// True when [`thread_queued`] reads a real figure on this system.
pub fn can_see_queue() -> bool {
    read_queued().is_some()
}

fn read_queued() -> Option<Duration> {
    // "<ns on a CPU> <ns waiting in a run queue> <times it got a CPU>"
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut fields = text.split_whitespace();
    let on_cpu: u64 = fields.next()?.parse().ok()?;
    let queued: u64 = fields.next()?.parse().ok()?;
    let slices: u64 = fields.next()?.parse().ok()?;
    // A kernel without scheduler statistics writes "0 0 0".
    if on_cpu == 0 && queued == 0 && slices == 0 {
        return None;
    }
    Some(Duration::from_nanos(queued))
}
// ANCHOR_END: thread_queued
