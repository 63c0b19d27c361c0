//! Is a thread that should wait really asleep? Waiting that burns shows in three ways,
//! none of them a number of milliseconds that depends on the machine's speed:
//! - a busy loop (`yield_now`, a spin) is always running or ready to run: its scheduler
//!   state is `R` however little CPU a busy machine gives it;
//! - a poll (`sleep(1 ms)` in a loop, a `wait_timeout` that gives up early) wakes up over
//!   and over: the kernel counts each wake-up as a voluntary context switch;
//! - either one uses a share of a core that a sleeping thread does not.
//!
//! [`watch`] reads all three for the threads under test over a window, and
//! [`baseline`] reads them, in the same run, for a thread that waits the right way (on a
//! `Condvar`, with the same timeout tick if the waiting itself has one). [`Observed::judge`]
//! compares the two. Linux only (`/proc/self/task`); elsewhere the readings are `None`.

use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How often the threads' scheduler state is read during a window.
const LOOK_EVERY: Duration = Duration::from_millis(2);

/// Wake-ups a thread may have beyond twice the baseline's (a late notification, the
/// start of the wait): a poll of 1 ms wakes a hundred times in 100 ms.
const WAKEUP_SLACK: u64 = 3;

/// The share of one core a waiting thread may use: a sleeping thread uses almost none,
/// a busy loop most of one, a 1 ms poll a few percent.
const CPU_SHARE_LIMIT: f64 = 0.05;

/// The calling thread's id as the kernel knows it; `None` where it cannot be read.
pub fn thread_id() -> Option<u32> {
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    link.file_name()?.to_str()?.parse().ok()
}

/// The scheduler state of thread `tid` of this process: `R` running or ready to run,
/// `S` asleep, `D`, `T`… (from `/proc/self/task/<tid>/stat`).
pub fn scheduler_state(tid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).ok()?;
    // `<tid> (<name>) <state> ...`: the name may hold spaces and parentheses.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.trim_start().chars().next()
}

/// How many times thread `tid` gave up its CPU to wait (voluntary context switches):
/// one per wake-up of a sleeping thread.
pub fn voluntary_switches(tid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/self/task/{tid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("voluntary_ctxt_switches:")).and_then(|v| v.trim().parse().ok())
}

/// CPU time thread `tid` has used so far (`/proc/self/task/<tid>/schedstat`).
pub fn thread_cpu(tid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/schedstat")).ok()?;
    stat.split_whitespace().next()?.parse().ok().map(Duration::from_nanos)
}

/// What some threads did over a window in which they should have been waiting.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Observed {
    /// How many threads were watched.
    pub threads: usize,
    /// The window's length.
    pub wall: Duration,
    /// Their wake-ups (voluntary context switches), all together.
    pub wakeups: u64,
    /// Their CPU time, all together.
    pub cpu: Duration,
    /// How many times their states were read, and how many of those readings were `R`.
    pub looks: usize,
    pub runnable: usize,
}

impl Observed {
    /// Wake-ups per thread.
    pub fn wakeups_each(&self) -> f64 {
        self.wakeups as f64 / self.threads.max(1) as f64
    }

    /// The share of one core each thread used.
    pub fn cpu_share_each(&self) -> f64 {
        if self.wall.is_zero() {
            return 0.0;
        }
        self.cpu.as_secs_f64() / self.wall.as_secs_f64() / self.threads.max(1) as f64
    }

    /// `Ok(figures)` when these threads waited as the `baseline` thread did; else the
    /// sentence that says how they burned (`who`: "the 8 blocked consumers").
    pub fn judge(&self, baseline: &Observed, who: &str) -> Result<String, String> {
        let ms = self.wall.as_secs_f64() * 1e3;
        let figures = format!(
            "{who}: {:.1} wake-ups and {:.1}% of a core each in {ms:.0} ms, running in {} of {} looks; \
             a thread waiting on a Condvar beside them: {:.1} wake-ups, {:.1}% of a core",
            self.wakeups_each(),
            self.cpu_share_each() * 100.0,
            self.runnable,
            self.looks,
            baseline.wakeups_each(),
            baseline.cpu_share_each() * 100.0
        );
        if self.looks > 0 && self.runnable * 2 >= self.looks {
            return Err(format!(
                "{who} were running or ready to run in {} of {} looks at their state in {ms:.0} ms, never \
                 asleep: that is a busy loop (a spin, or `yield_now` in a loop), not a wait",
                self.runnable, self.looks
            ));
        }
        let allowed = (baseline.wakeups_each() * 2.0).ceil() as u64 + WAKEUP_SLACK;
        if self.wakeups_each() > allowed as f64 {
            return Err(format!(
                "{who} woke up {:.0} times each in {ms:.0} ms, where a thread waiting on a Condvar woke {:.0} times \
                 (at most {allowed} allowed): that is polling (a `sleep` in a loop, or a timed wait that gives up \
                 and starts again) instead of sleeping until notified",
                self.wakeups_each(),
                baseline.wakeups_each()
            ));
        }
        let limit = CPU_SHARE_LIMIT.max(baseline.cpu_share_each() * 2.0);
        if self.cpu_share_each() > limit {
            return Err(format!(
                "{who} used {:.1}% of a core each while they should have slept ({ms:.0} ms), a thread waiting \
                 on a Condvar {:.1}%: they kept working instead of waiting",
                self.cpu_share_each() * 100.0,
                baseline.cpu_share_each() * 100.0
            ));
        }
        Ok(figures)
    }
}

/// Watches threads `tids` of this process for `window`: their wake-ups and CPU time over
/// it, and their scheduler state every 2 ms. `None` where the kernel does not tell
/// (not Linux), so the caller can say so instead of passing.
pub fn watch(tids: &[u32], window: Duration) -> Option<Observed> {
    let counters = |tid: u32| Some((voluntary_switches(tid)?, thread_cpu(tid)?));
    let before: Vec<(u64, Duration)> = tids.iter().map(|&t| counters(t)).collect::<Option<_>>()?;
    let start = Instant::now();
    let (mut looks, mut runnable) = (0, 0);
    while start.elapsed() < window {
        for &tid in tids {
            if let Some(state) = scheduler_state(tid) {
                looks += 1;
                runnable += usize::from(state == 'R');
            }
        }
        thread::sleep(LOOK_EVERY);
    }
    let wall = start.elapsed();
    let after: Vec<(u64, Duration)> = tids.iter().map(|&t| counters(t)).collect::<Option<_>>()?;
    let (wakeups, cpu) = before
        .iter()
        .zip(&after)
        .fold((0, Duration::ZERO), |(w, c), (b, a)| (w + a.0.saturating_sub(b.0), c + a.1.saturating_sub(b.1)));
    Some(Observed { threads: tids.len(), wall, wakeups, cpu, looks, runnable })
}

/// A thread that waits the right way for `window`, watched as [`watch`] watches: on a
/// `Condvar` nobody notifies, in one wait, or (with `tick`) in timed waits of `tick`
/// that start again, as a wait that must look around every `tick` does.
pub fn baseline(window: Duration, tick: Option<Duration>) -> Option<Observed> {
    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let (tid_tx, tid_rx) = std::sync::mpsc::channel();
    let waiter = {
        let pair = Arc::clone(&pair);
        thread::Builder::new()
            .name("timing-baseline-waiter".into())
            .spawn(move || {
                let _ = tid_tx.send(thread_id());
                let (done, cv) = &*pair;
                let mut done = done.lock().unwrap_or_else(|p| p.into_inner());
                while !*done {
                    done = match tick {
                        Some(tick) => cv.wait_timeout(done, tick).unwrap_or_else(|p| p.into_inner()).0,
                        None => cv.wait(done).unwrap_or_else(|p| p.into_inner()),
                    };
                }
            })
            .ok()?
    };
    let tid = tid_rx.recv().ok().flatten();
    // Time to get into the wait.
    thread::sleep(Duration::from_millis(5));
    let observed = tid.and_then(|tid| watch(&[tid], window));
    let (done, cv) = &*pair;
    *done.lock().unwrap_or_else(|p| p.into_inner()) = true;
    cv.notify_all();
    let _ = waiter.join();
    observed
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// Watches `n` threads running `body` until told to stop, beside a baseline.
    fn observe(n: usize, body: fn(&AtomicBool)) -> Option<(Observed, Observed)> {
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, rx) = std::sync::mpsc::channel();
        let threads: Vec<_> = (0..n)
            .map(|_| {
                let (stop, tx) = (Arc::clone(&stop), tx.clone());
                thread::spawn(move || {
                    let _ = tx.send(thread_id());
                    body(&stop);
                })
            })
            .collect();
        let tids: Option<Vec<u32>> = (0..n).map(|_| rx.recv().ok().flatten()).collect();
        thread::sleep(Duration::from_millis(10));
        let window = Duration::from_millis(120);
        let watched = tids.and_then(|tids| watch(&tids, window));
        let base = baseline(window, None);
        stop.store(true, Ordering::SeqCst);
        for t in threads {
            t.join().unwrap();
        }
        Some((watched?, base?))
    }

    #[test]
    fn a_poll_of_one_millisecond_is_told_from_a_wait_by_its_wakeups() {
        let Some((poll, base)) = observe(2, |stop| {
            while !stop.load(Ordering::SeqCst) {
                thread::sleep(Duration::from_millis(1));
            }
        }) else {
            return; // no /proc here: nothing to tell
        };
        let problem = poll.judge(&base, "the pollers").expect_err("a poll is not a wait");
        assert!(problem.contains("polling"), "{problem}");
    }

    #[test]
    fn a_yielding_spin_is_told_from_a_wait_by_its_state() {
        let Some((spin, base)) = observe(1, |stop| {
            while !stop.load(Ordering::SeqCst) {
                thread::yield_now();
            }
        }) else {
            return;
        };
        let problem = spin.judge(&base, "the spinner").expect_err("a spin is not a wait");
        assert!(problem.contains("busy loop") || problem.contains("% of a core"), "{problem}");
    }

    #[test]
    fn a_thread_asleep_on_a_condvar_passes() {
        let window = Duration::from_millis(80);
        let (Some(a), Some(b)) = (baseline(window, None), baseline(window, None)) else { return };
        assert!(a.judge(&b, "a waiter").is_ok(), "{:?}", a.judge(&b, "a waiter"));
    }
}
