//! The trace: every take, drop, drop request, wait and blocking call of the model's
//! threads, with monotonic timestamps, as plain data that other code draws or checks.
//!
//! Recording is per thread: a thread appends to its own buffer without a lock and hands
//! the buffer to the [`Tracer`] when it ends. With tracing off a thread holds no buffer
//! and recording an event is one `None` check.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// A model thread's id: unique in the process, never reused, never 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ThreadId(pub u64);

/// An interpreter's id: unique in the process, never reused, never 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InterpreterId(pub u64);

/// Why a thread released the GIL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// At a check point, because another thread set the drop request (a forced switch).
    Requested,
    /// Around a blocking call (`Py_BEGIN_ALLOW_THREADS`).
    Blocking,
    /// The thread finished.
    ThreadExit,
}

/// What happened. Each variant is recorded by the thread it happened to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// The thread started; it has not asked for the GIL yet.
    ThreadStart,
    /// The thread finished; it no longer holds the GIL.
    ThreadEnd,
    /// The thread called `take_gil`: it waits for the GIL from here.
    WaitStart,
    /// `take_gil` returned: the thread holds the GIL from here; this ends its wait.
    Take,
    /// This thread waited a whole switch interval without a switch and set the drop
    /// request (the eval breaker) for the holder.
    DropRequest,
    /// The thread calls `drop_gil`: it stops holding the GIL here.
    Drop {
        /// Why it lets go.
        reason: DropReason,
    },
    /// `drop_gil` returned. After a `Drop { reason: Requested }` the time in between is the
    /// forced-switching wait (until another thread took the GIL).
    DropEnd,
    /// The thread starts a blocking call without the GIL.
    BlockingStart,
    /// The blocking call returned; the thread asks for the GIL next.
    BlockingEnd,
}

/// One event: when (ns since the tracer's epoch, monotonic), who, what.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Nanoseconds since the tracer was created (a monotonic clock shared by all threads).
    pub t_ns: u64,
    /// The thread it happened to.
    pub thread: ThreadId,
    /// That thread's interpreter.
    pub interpreter: InterpreterId,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// A thread that appears in a trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadInfo {
    /// Its id.
    pub id: ThreadId,
    /// The name it was spawned with.
    pub name: String,
    /// Its interpreter.
    pub interpreter: InterpreterId,
}

/// An interpreter that appears in a trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterpreterInfo {
    /// Its id.
    pub id: InterpreterId,
    /// Which GIL its threads take, named by the interpreter that created that GIL; two
    /// interpreters with the same value share one GIL. `None`: free-threaded, no GIL.
    pub gil: Option<InterpreterId>,
    /// The switch interval when the interpreter was created, in nanoseconds.
    pub switch_interval_ns: u64,
}

/// Everything a tracer saw: plain, serialisable data, events sorted by time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceLog {
    /// The interpreters, in creation order.
    pub interpreters: Vec<InterpreterInfo>,
    /// The threads, in start order.
    pub threads: Vec<ThreadInfo>,
    /// The events of every finished thread, sorted by `t_ns`.
    pub events: Vec<Event>,
}

/// One stretch of time during which a thread held a GIL, from its `Take` to its `Drop`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    /// The holder.
    pub thread: ThreadId,
    /// The GIL, named by the interpreter that created it.
    pub gil: InterpreterId,
    /// When it took the GIL.
    pub start_ns: u64,
    /// When it started to let go.
    pub end_ns: u64,
}

/// A forced switch: a holder answered a drop request and another thread took the GIL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handoff {
    /// The thread that dropped the GIL at a check point.
    pub from: ThreadId,
    /// The next thread to take that GIL.
    pub to: ThreadId,
    /// When the holder's `Drop` was recorded.
    pub drop_ns: u64,
    /// When the next holder's `Take` was recorded.
    pub take_ns: u64,
}

/// A blocking call (`PyThread::blocking`, `sleep`, a lock wait): the stretch between a
/// thread's `BlockingStart` and its `BlockingEnd`, during which it does not need the GIL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockingCall {
    /// The thread that made the call.
    pub thread: ThreadId,
    /// When the call started.
    pub start_ns: u64,
    /// When it returned.
    pub end_ns: u64,
}

impl BlockingCall {
    /// How long the call took.
    pub fn len(&self) -> Duration {
        Duration::from_nanos(self.end_ns.saturating_sub(self.start_ns))
    }

    /// Whether the two calls were under way at one instant (the stretches are half-open:
    /// one that returns as the other starts does not overlap it).
    pub fn overlaps(&self, other: &BlockingCall) -> bool {
        self.start_ns < other.end_ns && other.start_ns < self.end_ns
    }

    /// The most of `calls` under way at one instant: how many threads really waited at
    /// the same time.
    pub fn most_at_once(calls: &[BlockingCall]) -> usize {
        // Sweep starts and ends in time order; at equal times ends (false) come first.
        let mut edges: Vec<(u64, bool)> = calls
            .iter()
            .flat_map(|c| [(c.start_ns, true), (c.end_ns, false)])
            .collect();
        edges.sort_unstable();
        let (mut now, mut most) = (0usize, 0usize);
        for (_, is_start) in edges {
            if is_start {
                now += 1;
                most = most.max(now);
            } else {
                now = now.saturating_sub(1);
            }
        }
        most
    }
}

impl Handoff {
    /// Time from the old holder letting go to the new holder holding: no Python code of
    /// that interpreter runs in between.
    pub fn latency(&self) -> Duration {
        Duration::from_nanos(self.take_ns.saturating_sub(self.drop_ns))
    }
}

impl TraceLog {
    /// The GIL an interpreter's threads take (`None` when free-threaded or unknown).
    pub fn gil_of(&self, interpreter: InterpreterId) -> Option<InterpreterId> {
        self.interpreters
            .iter()
            .find(|i| i.id == interpreter)
            .and_then(|i| i.gil)
    }

    /// Every stretch during which a thread held a GIL, sorted by start. A thread that
    /// still held its GIL at the end of the trace is left out.
    pub fn holds(&self) -> Vec<Hold> {
        let gils: HashMap<InterpreterId, Option<InterpreterId>> =
            self.interpreters.iter().map(|i| (i.id, i.gil)).collect();
        let mut open: HashMap<ThreadId, u64> = HashMap::new();
        let mut holds = Vec::new();
        for e in &self.events {
            let Some(Some(gil)) = gils.get(&e.interpreter) else {
                continue;
            };
            match e.kind {
                EventKind::Take => {
                    open.insert(e.thread, e.t_ns);
                }
                EventKind::Drop { .. } => {
                    if let Some(start_ns) = open.remove(&e.thread) {
                        holds.push(Hold {
                            thread: e.thread,
                            gil: *gil,
                            start_ns,
                            end_ns: e.t_ns,
                        });
                    }
                }
                _ => {}
            }
        }
        holds.sort_by_key(|h| (h.start_ns, h.end_ns));
        holds
    }

    /// The largest number of threads that held the same GIL at one instant. A correct GIL
    /// gives 1 (or 0 for an empty trace).
    pub fn max_simultaneous_holders(&self) -> usize {
        let mut by_gil: HashMap<InterpreterId, Vec<Hold>> = HashMap::new();
        for h in self.holds() {
            by_gil.entry(h.gil).or_default().push(h);
        }
        let mut max = 0;
        for holds in by_gil.values() {
            // +1 at a take, -1 at a drop; a drop at the same instant as a take counts first.
            let mut edges: Vec<(u64, i32)> = holds
                .iter()
                .flat_map(|h| [(h.start_ns, 1), (h.end_ns, -1)])
                .collect();
            edges.sort();
            let mut now = 0i32;
            for (_, step) in edges {
                now += step;
                max = max.max(usize::try_from(now).unwrap_or(0));
            }
        }
        max
    }

    /// Every forced switch (a `Drop { reason: Requested }`) matched with the next `Take` of
    /// the same GIL, in time order. A forced drop after which the same thread took the GIL
    /// back first appears with `to == from`.
    pub fn handoffs(&self) -> Vec<Handoff> {
        let gils: HashMap<InterpreterId, Option<InterpreterId>> =
            self.interpreters.iter().map(|i| (i.id, i.gil)).collect();
        let mut pending: HashMap<InterpreterId, (ThreadId, u64)> = HashMap::new();
        let mut out = Vec::new();
        for e in &self.events {
            let Some(Some(gil)) = gils.get(&e.interpreter) else {
                continue;
            };
            match e.kind {
                EventKind::Drop {
                    reason: DropReason::Requested,
                } => {
                    pending.insert(*gil, (e.thread, e.t_ns));
                }
                EventKind::Take => {
                    if let Some((from, drop_ns)) = pending.remove(gil) {
                        out.push(Handoff {
                            from,
                            to: e.thread,
                            drop_ns,
                            take_ns: e.t_ns,
                        });
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// How long each `take_gil` call waited (from `WaitStart` to `Take`), in time order.
    pub fn waits(&self) -> Vec<(ThreadId, Duration)> {
        let mut open: HashMap<ThreadId, u64> = HashMap::new();
        let mut out = Vec::new();
        for e in &self.events {
            match e.kind {
                EventKind::WaitStart => {
                    open.insert(e.thread, e.t_ns);
                }
                EventKind::Take => {
                    if let Some(start) = open.remove(&e.thread) {
                        out.push((e.thread, Duration::from_nanos(e.t_ns.saturating_sub(start))));
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// Every blocking call that returned within the trace, in the order they returned.
    pub fn blocking_calls(&self) -> Vec<BlockingCall> {
        let mut open: HashMap<ThreadId, u64> = HashMap::new();
        let mut calls = Vec::new();
        for e in &self.events {
            match e.kind {
                EventKind::BlockingStart => {
                    open.insert(e.thread, e.t_ns);
                }
                EventKind::BlockingEnd => {
                    if let Some(start_ns) = open.remove(&e.thread) {
                        calls.push(BlockingCall {
                            thread: e.thread,
                            start_ns,
                            end_ns: e.t_ns,
                        });
                    }
                }
                _ => {}
            }
        }
        calls
    }

    /// The events of one thread, in time order.
    pub fn events_of(&self, thread: ThreadId) -> impl Iterator<Item = &Event> {
        self.events.iter().filter(move |e| e.thread == thread)
    }
}

/// Collects the events of the threads of one or more interpreters. Cloning gives another
/// handle to the same collection, so several interpreters can share one timeline.
#[derive(Clone, Debug)]
pub struct Tracer {
    inner: Arc<TracerInner>,
}

#[derive(Debug)]
struct TracerInner {
    epoch: Instant,
    log: Mutex<TraceLog>,
}

impl Default for Tracer {
    fn default() -> Self {
        Self::new()
    }
}

impl Tracer {
    /// A new, empty tracer; its epoch (time 0 of every event) is now.
    pub fn new() -> Self {
        Tracer {
            inner: Arc::new(TracerInner {
                epoch: Instant::now(),
                log: Mutex::new(TraceLog::default()),
            }),
        }
    }

    /// A copy of everything recorded so far, events sorted by time. A thread's events
    /// arrive when it ends (join the threads first for a complete picture).
    pub fn log(&self) -> TraceLog {
        let mut log = self.lock().clone();
        log.events.sort_by_key(|e| e.t_ns);
        log
    }

    /// Forgets every recorded event (threads and interpreters stay listed).
    pub fn clear_events(&self) {
        self.lock().events.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, TraceLog> {
        self.inner
            .log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn register_interpreter(&self, info: InterpreterInfo) {
        self.lock().interpreters.push(info);
    }

    pub(crate) fn register_thread(&self, info: ThreadInfo) {
        self.lock().threads.push(info);
    }

    fn now_ns(&self) -> u64 {
        u64::try_from(self.inner.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    fn append(&self, events: &mut Vec<Event>) {
        self.lock().events.append(events);
    }
}

/// A thread's own buffer of events; flushed into the tracer when dropped.
#[derive(Debug)]
pub(crate) struct Recorder {
    tracer: Tracer,
    thread: ThreadId,
    interpreter: InterpreterId,
    buffer: RefCell<Vec<Event>>,
}

impl Recorder {
    pub(crate) fn new(tracer: Tracer, thread: ThreadId, interpreter: InterpreterId) -> Self {
        Recorder {
            tracer,
            thread,
            interpreter,
            buffer: RefCell::new(Vec::with_capacity(1024)),
        }
    }

    pub(crate) fn record(&self, kind: EventKind) {
        let event = Event {
            t_ns: self.tracer.now_ns(),
            thread: self.thread,
            interpreter: self.interpreter,
            kind,
        };
        self.buffer.borrow_mut().push(event);
    }

    pub(crate) fn flush(&self) {
        let mut buffer = self.buffer.borrow_mut();
        self.tracer.append(&mut buffer);
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.flush();
    }
}

#[cfg(test)]
mod blocking_call_tests {
    use super::*;

    fn call(thread: u64, start_ns: u64, end_ns: u64) -> BlockingCall {
        BlockingCall {
            thread: ThreadId(thread),
            start_ns,
            end_ns,
        }
    }

    #[test]
    fn most_at_once_counts_calls_under_way_together_and_ends_before_starts() {
        assert_eq!(BlockingCall::most_at_once(&[]), 0);
        // Back to back: one ends as the next starts, so never two at once.
        assert_eq!(BlockingCall::most_at_once(&[call(1, 0, 10), call(2, 10, 20)]), 1);
        let three = [call(1, 0, 30), call(2, 5, 25), call(3, 10, 12), call(4, 26, 40)];
        assert_eq!(BlockingCall::most_at_once(&three), 3);
        assert!(three[0].overlaps(&three[2]) && !three[1].overlaps(&three[3]));
        assert_eq!(three[0].len(), Duration::from_nanos(30));
    }
}
