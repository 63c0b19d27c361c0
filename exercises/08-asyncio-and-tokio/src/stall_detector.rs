//! Given: a stall detector for a one-thread event loop, the course's counterpart of
//! asyncio's debug mode (which logs every callback slower than
//! `loop.slow_callback_duration`, 100 ms by default).
//!
//! On one thread, a task runs only while the event loop polls it, and while one task is
//! being polled no other task can run. A poll should take microseconds: the task does a
//! little work and returns `Pending` at its next `.await` on a timer or a socket. A
//! poll that takes 200 ms is 200 ms in which the loop served no one.
//!
//! So the detector times every poll of every task it [`watch`](StallDetector::watch)es,
//! on the real clock (`std::time::Instant`, never paused), and remembers when each task
//! was woken, which is when it became ready to run again. A poll longer than the
//! threshold is a [`Stall`], named after its task. A [`heartbeat`](StallDetector::heartbeat)
//! task that asks to be woken at a steady period measures the same stalls from the
//! other side: how late the loop came back to it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

/// A poll longer than this is a stall: asyncio's `slow_callback_duration` default.
pub const STALL_THRESHOLD: Duration = Duration::from_millis(100);

/// Times the polls of the tasks it watches. Cloning gives another handle to the same
/// records.
#[derive(Clone, Debug)]
pub struct StallDetector {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    origin: Instant,
    threshold: Duration,
    polls: Mutex<Vec<PollRecord>>,
    lateness: Mutex<Vec<Duration>>,
}

impl Inner {
    fn now_ns(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }
}

/// One poll of one watched task, in nanoseconds since the detector was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollRecord {
    /// The task's name, as given to [`StallDetector::watch`].
    pub task: String,
    /// When the task became ready for this poll: when it was woken, or when it was
    /// made, for its first poll. `None` if it was polled without being woken.
    pub ready_ns: Option<u64>,
    /// When the poll began.
    pub start_ns: u64,
    /// When the poll returned.
    pub end_ns: u64,
    /// Whether the task finished in this poll.
    pub finished: bool,
}

impl PollRecord {
    /// How long the poll took: how long the loop was busy with this task alone.
    pub fn len(&self) -> Duration {
        Duration::from_nanos(self.end_ns.saturating_sub(self.start_ns))
    }
}

/// A poll longer than the threshold: the task that held the loop, and for how long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stall {
    /// The task whose poll it was.
    pub task: String,
    /// How long that one poll took.
    pub length: Duration,
}

impl fmt::Display for Stall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "task \"{}\" blocked the event loop for {} ms in one poll",
            self.task,
            self.length.as_millis()
        )
    }
}

impl StallDetector {
    /// A detector that counts a poll longer than `threshold` as a stall.
    pub fn new(threshold: Duration) -> StallDetector {
        StallDetector {
            inner: Arc::new(Inner {
                origin: Instant::now(),
                threshold,
                polls: Mutex::new(Vec::new()),
                lateness: Mutex::new(Vec::new()),
            }),
        }
    }

    /// The poll length above which a poll is a stall.
    pub fn threshold(&self) -> Duration {
        self.inner.threshold
    }

    /// Wraps `future` so that each of its polls is timed and recorded under the name
    /// `task`. Spawn what it returns: `tokio::spawn(detector.watch("fetch-3", fetch(3)))`.
    pub fn watch<F: Future>(&self, task: impl Into<String>, future: F) -> Watched<F> {
        let made = self.inner.now_ns();
        Watched {
            future: Box::pin(future),
            task: task.into(),
            inner: Arc::clone(&self.inner),
            // The first poll's readiness is the moment the task was made.
            woken: Arc::new(AtomicU64::new(made + 1)),
        }
    }

    /// A task that asks to be woken every `period`, forever, and records how late each
    /// wake-up came. Spawn it beside the tasks you watch and abort it when they are done.
    pub fn heartbeat(&self, period: Duration) -> impl Future<Output = ()> + Send + 'static {
        let inner = Arc::clone(&self.inner);
        async move {
            let mut due = tokio::time::Instant::now() + period;
            loop {
                tokio::time::sleep_until(due).await;
                let late = tokio::time::Instant::now().saturating_duration_since(due);
                inner
                    .lateness
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(late);
                due = tokio::time::Instant::now() + period;
            }
        }
    }

    /// Nanoseconds since the detector was made, on the clock of its [`PollRecord`]s.
    pub fn now_ns(&self) -> u64 {
        self.inner.now_ns()
    }

    /// Every poll recorded so far, in the order they ended.
    pub fn polls(&self) -> Vec<PollRecord> {
        self.inner
            .polls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Every poll longer than the threshold, longest first.
    pub fn stalls(&self) -> Vec<Stall> {
        let mut stalls: Vec<Stall> = self
            .polls()
            .into_iter()
            .filter(|p| p.len() > self.inner.threshold)
            .map(|p| Stall {
                length: p.len(),
                task: p.task,
            })
            .collect();
        stalls.sort_by_key(|s| std::cmp::Reverse(s.length));
        stalls
    }

    /// The latest any heartbeat's wake-up came, and how many beats there were.
    pub fn heartbeat_lateness(&self) -> (Duration, usize) {
        let lateness = self
            .inner
            .lateness
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        (
            lateness.iter().max().copied().unwrap_or_default(),
            lateness.len(),
        )
    }
}

/// A future whose polls a [`StallDetector`] times; made by [`StallDetector::watch`].
pub struct Watched<F> {
    future: Pin<Box<F>>,
    task: String,
    inner: Arc<Inner>,
    /// 0: not woken since the last poll; otherwise the wake-up time in ns, plus one.
    woken: Arc<AtomicU64>,
}

// ANCHOR: watched_poll
impl<F: Future> Future for Watched<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        // Hand the task a waker that notes when it is woken, then wakes the real one.
        let waker = Waker::from(Arc::new(WakeRecorder {
            inner: cx.waker().clone(),
            woken: Arc::clone(&this.woken),
            detector: Arc::clone(&this.inner),
        }));
        let mut recording = Context::from_waker(&waker);
        let woken = this.woken.swap(0, Ordering::SeqCst);
        let start_ns = this.inner.now_ns();
        let result = this.future.as_mut().poll(&mut recording);
        let end_ns = this.inner.now_ns();
        this.inner
            .polls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(PollRecord {
                task: this.task.clone(),
                ready_ns: woken.checked_sub(1),
                start_ns,
                end_ns,
                finished: result.is_ready(),
            });
        result
    }
}
// ANCHOR_END: watched_poll

/// Wraps a task's waker to note the first wake-up since the task's last poll.
struct WakeRecorder {
    inner: Waker,
    woken: Arc<AtomicU64>,
    detector: Arc<Inner>,
}

impl Wake for WakeRecorder {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let now = self.detector.now_ns() + 1;
        let _ = self
            .woken
            .compare_exchange(0, now, Ordering::SeqCst, Ordering::SeqCst);
        self.inner.wake_by_ref();
    }
}
