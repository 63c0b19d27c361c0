//! What a timeline holds: lanes (one per thread or process) of spans in a state, plus
//! instant markers, in nanoseconds on one clock.

/// What a thread was doing during a span. The order is the legend's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    /// Running Python code, which needs the GIL: the thread holds it.
    HoldingGil,
    /// Asking for the GIL (`take_gil`) while another thread holds it.
    WaitingForGil,
    /// In a blocking I/O call, with the GIL released (`Py_BEGIN_ALLOW_THREADS`).
    BlockedIo,
    /// In `time.sleep`, with the GIL released.
    Sleeping,
    /// Running with no GIL to hold: a plain Rust thread, or a free-threaded build.
    RunningWithoutGil,
    /// Blocked on a lock, a semaphore, a condition or a queue: not running, not on I/O.
    Waiting,
}

impl State {
    /// Every state, in the legend's order.
    pub const ALL: [State; 6] = [
        State::HoldingGil,
        State::WaitingForGil,
        State::BlockedIo,
        State::Sleeping,
        State::RunningWithoutGil,
        State::Waiting,
    ];

    /// The legend's words for this state.
    pub fn label(self) -> &'static str {
        match self {
            State::HoldingGil => "running Python (holds the GIL)",
            State::WaitingForGil => "waiting for the GIL",
            State::BlockedIo => "blocked on I/O (GIL released)",
            State::Sleeping => "sleeping (GIL released)",
            State::RunningWithoutGil => "running without a GIL",
            State::Waiting => "waiting (lock, semaphore or condition)",
        }
    }

    /// Whether a thread in this state is using a CPU (drawn full height).
    pub fn is_running(self) -> bool {
        matches!(self, State::HoldingGil | State::RunningWithoutGil)
    }
}

/// An instant on a lane.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MarkerKind {
    /// The lane's thread waited a whole switch interval and asked the holder to drop
    /// the GIL (CPython's `SET_GIL_DROP_REQUEST`).
    DropRequest,
}

impl MarkerKind {
    /// The legend's words for this marker.
    pub fn label(self) -> &'static str {
        match self {
            MarkerKind::DropRequest => "drop request (asks the holder to let go)",
        }
    }
}

/// A stretch of time in one state, `start_ns..end_ns`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// When it began, in nanoseconds on the timeline's clock.
    pub start_ns: u64,
    /// When it ended; never before `start_ns`.
    pub end_ns: u64,
    /// What the thread did meanwhile.
    pub state: State,
}

impl Span {
    /// How long it lasted, in nanoseconds.
    pub fn len_ns(&self) -> u64 {
        self.end_ns - self.start_ns
    }
}

/// An instant on a lane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Marker {
    /// When, in nanoseconds on the timeline's clock.
    pub at_ns: u64,
    /// What happened.
    pub kind: MarkerKind,
}

/// One thread or process: a label, its spans in time order without overlap, its markers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lane {
    label: String,
    spans: Vec<Span>,
    markers: Vec<Marker>,
}

impl Lane {
    /// An empty lane called `label`.
    pub fn new(label: impl Into<String>) -> Lane {
        Lane {
            label: label.into(),
            spans: Vec::new(),
            markers: Vec::new(),
        }
    }

    /// The same lane under another label (a trace's thread names are often terse).
    #[must_use]
    pub fn relabel(mut self, label: impl Into<String>) -> Lane {
        self.label = label.into();
        self
    }

    /// Adds a span; see [`Lane::push_span`].
    ///
    /// # Panics
    /// As [`Lane::push_span`].
    #[must_use]
    pub fn span(mut self, start_ns: u64, end_ns: u64, state: State) -> Lane {
        self.push_span(start_ns, end_ns, state);
        self
    }

    /// Adds a marker; see [`Lane::push_marker`].
    #[must_use]
    pub fn marker(mut self, at_ns: u64, kind: MarkerKind) -> Lane {
        self.push_marker(at_ns, kind);
        self
    }

    /// Adds the span `start_ns..end_ns` in `state`. An empty span is ignored; a span that
    /// starts where the last one ended in the same state extends it.
    ///
    /// # Panics
    /// If `end_ns < start_ns`, or if the span starts before the end of the last one: a
    /// thread is in one state at a time, and spans are added in time order.
    pub fn push_span(&mut self, start_ns: u64, end_ns: u64, state: State) {
        assert!(
            start_ns <= end_ns,
            "lane {:?}: a span cannot end ({end_ns} ns) before it starts ({start_ns} ns)",
            self.label
        );
        if start_ns == end_ns {
            return;
        }
        if let Some(last) = self.spans.last_mut() {
            assert!(
                start_ns >= last.end_ns,
                "lane {:?}: the span starting at {start_ns} ns overlaps the one ending at {} ns; \
                 add spans in time order",
                self.label,
                last.end_ns
            );
            if last.state == state && last.end_ns == start_ns {
                last.end_ns = end_ns;
                return;
            }
        }
        self.spans.push(Span {
            start_ns,
            end_ns,
            state,
        });
    }

    /// Adds a marker at `at_ns`; markers are kept in time order.
    pub fn push_marker(&mut self, at_ns: u64, kind: MarkerKind) {
        let at = self.markers.partition_point(|m| m.at_ns <= at_ns);
        self.markers.insert(at, Marker { at_ns, kind });
    }

    /// The lane's label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Its spans, in time order, none overlapping.
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// Its markers, in time order.
    pub fn markers(&self) -> &[Marker] {
        &self.markers
    }

    /// Total time spent in `state` inside `window`, in nanoseconds.
    pub fn time_in(&self, state: State, window: (u64, u64)) -> u64 {
        self.spans
            .iter()
            .filter(|s| s.state == state)
            .map(|s| clip(s.start_ns, s.end_ns, window).map_or(0, |(a, b)| b - a))
            .sum()
    }
}

/// `start..end` cut to `window`, or `None` when nothing of it is inside.
pub(crate) fn clip(start: u64, end: u64, (from, to): (u64, u64)) -> Option<(u64, u64)> {
    let (a, b) = (start.max(from), end.min(to));
    (a < b).then_some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjacent_spans_in_one_state_merge_and_empty_ones_vanish() {
        let lane = Lane::new("t")
            .span(0, 10, State::HoldingGil)
            .span(10, 20, State::HoldingGil)
            .span(20, 20, State::Sleeping)
            .span(25, 30, State::Sleeping);
        assert_eq!(
            lane.spans(),
            &[
                Span {
                    start_ns: 0,
                    end_ns: 20,
                    state: State::HoldingGil
                },
                Span {
                    start_ns: 25,
                    end_ns: 30,
                    state: State::Sleeping
                },
            ]
        );
        assert_eq!(lane.time_in(State::HoldingGil, (5, 100)), 15);
    }

    #[test]
    #[should_panic(expected = "overlaps")]
    fn overlapping_spans_are_refused() {
        let _ = Lane::new("t")
            .span(0, 10, State::HoldingGil)
            .span(5, 20, State::Sleeping);
    }
}
