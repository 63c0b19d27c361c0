//! Lanes from a python-model trace: one lane per Python thread, in start order.

use python_model::{DropReason, EventKind, ThreadInfo, TraceLog};

use crate::lane::{Lane, MarkerKind, State};

/// One lane per thread of `log`, labelled with the thread's name, in the order the threads
/// started. A thread under a GIL holds it from `Take` to `Drop`, waits for it from
/// `WaitStart` (and from a forced `Drop`, which waits for the switch) to `Take`, and is in
/// `blocking(thread)` between releasing the GIL for a blocking call and asking for it back.
/// A thread of a free-threaded interpreter runs without a GIL outside its blocking calls.
/// Each `DropRequest` becomes a marker on the lane of the thread that asked.
///
/// The trace cannot tell a sleep from other blocking I/O (both are `PyThread::blocking`),
/// so `blocking` says which state to draw for each thread.
pub fn lanes_from_trace(log: &TraceLog, blocking: impl Fn(&ThreadInfo) -> State) -> Vec<Lane> {
    log.threads
        .iter()
        .map(|info| {
            let free = log.gil_of(info.interpreter).is_none();
            let blocked = blocking(info);
            let mut lane = Lane::new(info.name.clone());
            // The state the thread is in since `since`, if any.
            let mut current: Option<(State, u64)> = None;
            for event in log.events_of(info.id) {
                let t = event.t_ns;
                let next = match event.kind {
                    EventKind::ThreadStart => Some(free.then_some(State::RunningWithoutGil)),
                    EventKind::WaitStart => Some(Some(State::WaitingForGil)),
                    EventKind::Take => Some(Some(State::HoldingGil)),
                    // A forced drop waits until another thread took the GIL, then queues again.
                    EventKind::Drop {
                        reason: DropReason::Requested,
                    } => Some(Some(State::WaitingForGil)),
                    EventKind::Drop {
                        reason: DropReason::Blocking,
                    }
                    | EventKind::BlockingStart => Some(Some(blocked)),
                    EventKind::Drop {
                        reason: DropReason::ThreadExit,
                    }
                    | EventKind::ThreadEnd => Some(None),
                    // Back from the call: free-threaded runs on, otherwise asks for the GIL.
                    EventKind::BlockingEnd => Some(Some(if free {
                        State::RunningWithoutGil
                    } else {
                        State::WaitingForGil
                    })),
                    EventKind::DropRequest => {
                        lane.push_marker(t, MarkerKind::DropRequest);
                        None
                    }
                    EventKind::DropEnd => None,
                };
                if let Some(next) = next {
                    if let Some((state, since)) = current {
                        lane.push_span(since, t.max(since), state);
                    }
                    current = next.map(|state| (state, t));
                }
            }
            if let (Some((state, since)), Some(last)) = (current, log.events_of(info.id).last()) {
                lane.push_span(since, last.t_ns.max(since), state);
            }
            lane
        })
        .collect()
}
