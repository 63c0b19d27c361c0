//! Where the steps are served, written for you. A [`Floor`] does one step and writes it
//! down: who served it, which table, when, on which thread. Two floors:
//! - [`StepClock`] keeps virtual time: a step of 3 ticks takes 3 ticks, whatever the
//!   machine is doing, so its log is the same on every run (the checks snapshot it);
//! - [`Kitchen`] does real work: every tick is a fixed amount of arithmetic on the
//!   calling thread, timed with the real clock and recorded in a [`timing::Activity`],
//!   so the checks can see which steps ran at the same moment, and on which CPUs.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};
use std::time::Duration;

use timing::{Activity, Interval, Meeting, max_overlap};

use crate::service::{Service, Step};

/// Where workers serve steps. `serve` runs on the worker's own thread and returns when
/// the step is done; a floor is shared by all workers, so it is `Sync`.
pub trait Floor: Sync {
    /// Worker number `worker` (waiters and cashiers are numbered from 1) serves `step`
    /// of `service`, now, on the calling thread.
    fn serve(&self, worker: usize, service: &Service, step: &Step);
}

/// One step served, as a floor wrote it down.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Served {
    /// The worker's number.
    pub worker: usize,
    /// The service's name ("table 2").
    pub service: String,
    /// The step ("brings the food").
    pub step: String,
    /// When the step started: a tick on a [`StepClock`], [`timing::monotonic_ns`] in a
    /// [`Kitchen`].
    pub start: u64,
    /// When it ended, on the same clock.
    pub end: u64,
    /// The thread that served it.
    pub thread: ThreadId,
}

/// The most steps of `log` that were being served at the same moment.
pub fn most_steps_at_once(log: &[Served]) -> usize {
    max_overlap(
        &log.iter()
            .map(|s| interval(s.start, s.end))
            .collect::<Vec<_>>(),
    )
}

/// Each service of `log` with the time it was in progress: from the start of its first
/// step to the end of its last, in the order the services first appear.
pub fn lifetimes(log: &[Served]) -> Vec<(String, u64, u64)> {
    let mut lives: Vec<(String, u64, u64)> = Vec::new();
    for s in log {
        match lives.iter_mut().find(|(name, ..)| *name == s.service) {
            Some((_, first, last)) => {
                *first = (*first).min(s.start);
                *last = (*last).max(s.end);
            }
            None => lives.push((s.service.clone(), s.start, s.end)),
        }
    }
    lives
}

/// The most services of `log` that were in progress at the same moment.
pub fn most_in_progress_at_once(log: &[Served]) -> usize {
    let lives: Vec<Interval> = lifetimes(log)
        .iter()
        .map(|&(_, first, last)| interval(first, last))
        .collect();
    max_overlap(&lives)
}

fn interval(start_ns: u64, end_ns: u64) -> Interval {
    Interval {
        start_ns,
        end_ns,
        cpu_at_start: None,
        cpu_at_end: None,
        cpu_time_ns: None,
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing panics while these locks are held, so a poisoned lock still holds good data.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

// ---------------------------------------------------------------------------
// Virtual time
// ---------------------------------------------------------------------------

/// A floor with virtual time: each worker has a clock of its own, starting at tick 0,
/// and a step of `n` ticks moves its worker's clock `n` ticks on. No real time passes,
/// so the log is the same on every run and every machine.
///
/// One clock per worker is how it would look if every worker had a core of their own:
/// three waiters' first steps all start at tick 0. Only a [`Kitchen`] shows whether
/// they really ran at the same time.
#[derive(Debug)]
pub struct StepClock {
    worker_noun: String,
    service_noun: String,
    state: Mutex<ClockState>,
}

#[derive(Debug, Default)]
struct ClockState {
    clocks: BTreeMap<usize, u64>,
    served: Vec<Served>,
}

impl StepClock {
    /// A clock whose log calls the workers `worker_noun` ("waiter") and the services
    /// `service_noun` ("table").
    pub fn new(worker_noun: &str, service_noun: &str) -> StepClock {
        StepClock {
            worker_noun: worker_noun.to_string(),
            service_noun: service_noun.to_string(),
            state: Mutex::new(ClockState::default()),
        }
    }

    /// Every step served so far, by start tick (and by worker at equal ticks).
    pub fn log(&self) -> Vec<Served> {
        let mut log = lock(&self.state).served.clone();
        log.sort_by_key(|s| (s.start, s.worker));
        log
    }

    /// The log as a person reads it, one step per line, then what it adds up to.
    pub fn render(&self) -> String {
        let log = self.log();
        let mut text = String::new();
        for s in &log {
            let ticks = format!("{}..{}", s.start, s.end);
            let _ = writeln!(
                text,
                "t={ticks:<7} {} {}  {}: {}",
                self.worker_noun, s.worker, s.service, s.step
            );
        }
        let services = lifetimes(&log).len();
        let last = log.iter().map(|s| s.end).max().unwrap_or(0);
        let _ = writeln!(
            text,
            "steps served at the same moment: at most {}",
            most_steps_at_once(&log)
        );
        let _ = writeln!(
            text,
            "{}s in progress at the same moment: {} of {services}",
            self.service_noun,
            most_in_progress_at_once(&log)
        );
        let _ = write!(text, "all served at t={last}");
        text
    }
}

impl Floor for StepClock {
    fn serve(&self, worker: usize, service: &Service, step: &Step) {
        let mut state = lock(&self.state);
        let clock = state.clocks.entry(worker).or_insert(0);
        let start = *clock;
        *clock += step.ticks;
        let end = *clock;
        state.served.push(Served {
            worker,
            service: service.name.clone(),
            step: step.what.clone(),
            start,
            end,
            thread: thread::current().id(),
        });
    }
}

// ---------------------------------------------------------------------------
// Real time
// ---------------------------------------------------------------------------

/// A floor with real work: a step of `n` ticks is `n` times a fixed amount of
/// arithmetic on the serving thread (nothing to wait for, only computing), timed with
/// [`timing::monotonic_ns`] and recorded in a [`timing::Activity`].
#[derive(Debug)]
pub struct Kitchen {
    turns_per_tick: u64,
    activity: Activity,
    served: Mutex<Vec<Served>>,
    company: Option<Meeting>,
}

impl Kitchen {
    /// A kitchen where one tick is `turns_per_tick` turns of arithmetic.
    pub fn new(turns_per_tick: u64) -> Kitchen {
        Kitchen {
            turns_per_tick,
            activity: Activity::new(),
            served: Mutex::new(Vec::new()),
            company: None,
        }
    }

    /// A kitchen whose steps wait for company: until `workers` steps are being served
    /// at the same moment, each step waits for the others (at most `patience` in all)
    /// before it works. Workers on threads of their own meet at once, on any machine;
    /// workers who take turns never do. The checks use it to see who served at once.
    pub fn waiting_for_company(turns_per_tick: u64, workers: usize, patience: Duration) -> Kitchen {
        Kitchen {
            company: Some(Meeting::new(workers, patience)),
            ..Kitchen::new(turns_per_tick)
        }
    }

    /// The record of every step: when, on which CPU, how much CPU time.
    pub fn activity(&self) -> &Activity {
        &self.activity
    }

    /// Every step served so far, by start time, in nanoseconds of
    /// [`timing::monotonic_ns`].
    pub fn log(&self) -> Vec<Served> {
        let mut log = lock(&self.served).clone();
        log.sort_by_key(|s| (s.start, s.worker));
        log
    }

    /// Forgets every step served so far (the activity as well).
    pub fn clear(&self) {
        lock(&self.served).clear();
        self.activity.clear();
    }

    /// For a kitchen made by [`Kitchen::waiting_for_company`]: the most steps that were
    /// being served at the same moment (0 for another kitchen).
    pub fn most_at_once(&self) -> usize {
        self.company.as_ref().map_or(0, Meeting::most)
    }
}

impl Floor for Kitchen {
    fn serve(&self, worker: usize, service: &Service, step: &Step) {
        let start = timing::monotonic_ns();
        {
            let _recorded = self.activity.enter();
            let _counted = self.company.as_ref().map(Meeting::arrive);
            cook(step.ticks.saturating_mul(self.turns_per_tick));
        }
        let end = timing::monotonic_ns();
        lock(&self.served).push(Served {
            worker,
            service: service.name.clone(),
            step: step.what.clone(),
            start,
            end,
            thread: thread::current().id(),
        });
    }
}

/// `turns` rounds of a multiply-and-shift hash: CPU work with nothing to wait for.
fn cook(turns: u64) -> u64 {
    let mut x = 0x9e37_79b9_7f4a_7c15_u64;
    for i in 0..turns {
        x = (x ^ (x >> 29))
            .wrapping_mul(0xbf58_476d_1ce4_e5b9)
            .wrapping_add(i);
    }
    black_box(x)
}
