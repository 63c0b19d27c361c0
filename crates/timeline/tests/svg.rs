//! The SVG is well-formed, self-contained and described; lanes drawn from a trace keep
//! time order; the converter maps each event to the state it begins.

use std::time::Duration;

use python_model::{
    DropReason, Event, EventKind, Interpreter, InterpreterId, InterpreterInfo, ThreadId,
    ThreadInfo, TraceLog,
};
use timeline::{Lane, MarkerKind, Span, State, Timeline, lanes_from_trace};

const MS: u64 = 1_000_000;

/// The small hand-made timeline of the snapshot: two threads trading the GIL, one
/// blocking call, one sleep, one plain Rust thread.
fn hand_made() -> Timeline {
    Timeline::new("Two threads & one GIL")
        .caption("a hand-made example <not measured>")
        .description("Thread-1 holds the GIL until Thread-2 asks for it")
        .lane(
            Lane::new("Thread-1")
                .span(0, 5 * MS, State::HoldingGil)
                .span(5 * MS, 10 * MS, State::WaitingForGil)
                .span(10 * MS, 11 * MS, State::HoldingGil)
                .span(11 * MS, 15 * MS, State::BlockedIo),
        )
        .lane(
            Lane::new("Thread-2")
                .span(0, 5 * MS, State::WaitingForGil)
                .marker(5 * MS, MarkerKind::DropRequest)
                .span(5 * MS, 10 * MS, State::HoldingGil)
                .span(10 * MS, 12 * MS, State::Sleeping),
        )
        .lane(Lane::new("rust").span(2 * MS, 14 * MS, State::RunningWithoutGil))
}

/// Checks that `svg` is well-formed XML as far as this crate writes it: every tag closes
/// in order, attribute values are quoted, no stray `<` or `&`. Returns the element names in
/// document order.
fn well_formed(svg: &str) -> Vec<String> {
    let mut open: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut rest = svg;
    while let Some(lt) = rest.find('<') {
        check_text(&rest[..lt]);
        let gt = rest[lt..].find('>').expect("every `<` has its `>`") + lt;
        let tag = &rest[lt + 1..gt];
        assert!(!tag.contains('<'), "a `<` inside the tag <{tag}>");
        if let Some(name) = tag.strip_prefix('/') {
            let top = open
                .pop()
                .unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(top, name, "</{name}> closes <{top}>");
        } else {
            let self_closing = tag.ends_with('/');
            let body = tag.trim_end_matches('/');
            let name = body
                .split_whitespace()
                .next()
                .expect("a tag has a name")
                .to_string();
            assert_eq!(
                body.matches('"').count() % 2,
                0,
                "unbalanced quotes in <{tag}>"
            );
            for attr in body[name.len()..].split('"').step_by(2) {
                let attr = attr.trim();
                assert!(
                    attr.is_empty() || attr.ends_with('='),
                    "attribute text `{attr}` in <{tag}> is not `name=`"
                );
            }
            seen.push(name.clone());
            if !self_closing {
                open.push(name);
            }
        }
        rest = &rest[gt + 1..];
    }
    check_text(rest);
    assert!(open.is_empty(), "unclosed elements: {open:?}");
    seen
}

fn check_text(text: &str) {
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].contains(&entity),
            "unescaped `&` in text: {entity}"
        );
    }
    assert!(!text.contains('>'), "a stray `>` in text {text:?}");
}

#[test]
fn the_svg_is_well_formed_and_self_contained() {
    let svg = hand_made().to_svg();
    let elements = well_formed(&svg);
    assert_eq!(elements.first().map(String::as_str), Some("svg"));
    assert_eq!(elements.iter().filter(|e| *e == "svg").count(), 1);
    for forbidden in ["script", "style", "image", "foreignObject", "link"] {
        assert!(
            !elements.iter().any(|e| e == forbidden),
            "the SVG must be self-contained, found <{forbidden}>"
        );
    }
    assert!(!svg.contains("href"), "no external references");
    assert!(!svg.contains("@font-face"), "no external fonts");
    // The only url() allowed points at a hatch pattern defined in the picture itself.
    for (at, _) in svg.match_indices("url(") {
        let id = svg[at + 4..].split(')').next().unwrap_or_default();
        let id = id
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("an external url({id})"));
        assert!(
            svg.contains(&format!("<pattern id=\"{id}\"")),
            "url(#{id}) points at nothing in the picture"
        );
    }
    assert!(svg.contains("viewBox=\"0 0 800 "), "800 px wide");
}

#[test]
fn the_svg_has_a_title_and_a_text_alternative() {
    let timeline = hand_made();
    let svg = timeline.to_svg();
    assert!(svg.contains("<title id=\"timeline-title\">Two threads &amp; one GIL</title>"));
    let desc = timeline.text_alternative();
    assert!(svg.contains("<desc id=\"timeline-desc\">"));
    assert!(desc.starts_with("Thread-1 holds the GIL until Thread-2 asks for it."));
    assert!(
        desc.contains("Thread-1: running Python (holds the GIL) 6.00 ms, waiting for the GIL 5.00 ms, blocked on I/O (GIL released) 4.00 ms."),
        "{desc}"
    );
    assert!(desc.contains("Thread-2: running Python (holds the GIL) 5.00 ms, waiting for the GIL 5.00 ms, sleeping (GIL released) 2.00 ms, 1 drop request."), "{desc}");
    assert!(svg.contains("aria-labelledby=\"timeline-title timeline-desc\""));
}

#[test]
fn a_window_clips_spans_and_restarts_the_axis_at_zero() {
    let svg = hand_made().window(4 * MS, 12 * MS).to_svg();
    well_formed(&svg);
    assert!(svg.contains("Time shown: 8.00 ms."));
    // The first span of Thread-1 shows only its last millisecond, from 0 on the axis.
    assert!(
        svg.contains("Thread-1: running Python (holds the GIL), 0.000–1.000 ms"),
        "{svg}"
    );
    // The blocking call (11 to 15 ms) is cut at the window's end (12 ms).
    assert!(
        svg.contains("Thread-1: blocked on I/O (GIL released), 7.000–8.000 ms"),
        "{svg}"
    );
    // The plain Rust thread's span (2 to 14 ms) fills the whole window.
    assert!(
        svg.contains("rust: running without a GIL, 0.000–8.000 ms"),
        "{svg}"
    );
}

#[test]
fn the_hand_made_timeline_matches_the_snapshot() {
    insta::assert_snapshot!("hand_made", hand_made().to_svg());
}

/// A trace written by hand: Thread-1 runs, is asked to drop, sleeps; Thread-2 waits, asks,
/// runs; one thread of a free-threaded interpreter runs and blocks.
fn hand_trace() -> TraceLog {
    let (gil, free) = (InterpreterId(1), InterpreterId(2));
    let (t1, t2, t3) = (ThreadId(1), ThreadId(2), ThreadId(3));
    let ev = |t_ns: u64, thread: ThreadId, kind: EventKind| Event {
        t_ns,
        thread,
        interpreter: if thread == t3 { free } else { gil },
        kind,
    };
    use EventKind::*;
    let mut events = vec![
        ev(0, t1, ThreadStart),
        ev(0, t1, WaitStart),
        ev(10, t1, Take),
        ev(20, t2, ThreadStart),
        ev(20, t2, WaitStart),
        ev(100, t2, DropRequest),
        ev(
            105,
            t1,
            Drop {
                reason: DropReason::Requested,
            },
        ),
        ev(110, t2, Take),
        ev(111, t1, DropEnd),
        ev(111, t1, WaitStart),
        ev(
            150,
            t2,
            Drop {
                reason: DropReason::Blocking,
            },
        ),
        ev(151, t2, DropEnd),
        ev(151, t2, BlockingStart),
        ev(155, t1, Take),
        ev(300, t2, BlockingEnd),
        ev(300, t2, WaitStart),
        ev(
            320,
            t1,
            Drop {
                reason: DropReason::ThreadExit,
            },
        ),
        ev(321, t1, DropEnd),
        ev(321, t1, ThreadEnd),
        ev(322, t2, Take),
        ev(
            400,
            t2,
            Drop {
                reason: DropReason::ThreadExit,
            },
        ),
        ev(401, t2, DropEnd),
        ev(401, t2, ThreadEnd),
        ev(50, t3, ThreadStart),
        ev(80, t3, BlockingStart),
        ev(90, t3, BlockingEnd),
        ev(130, t3, ThreadEnd),
    ];
    events.sort_by_key(|e| e.t_ns);
    TraceLog {
        interpreters: vec![
            InterpreterInfo {
                id: gil,
                gil: Some(gil),
                switch_interval_ns: 5 * MS,
            },
            InterpreterInfo {
                id: free,
                gil: None,
                switch_interval_ns: 0,
            },
        ],
        threads: vec![
            ThreadInfo {
                id: t1,
                name: "Thread-1".into(),
                interpreter: gil,
            },
            ThreadInfo {
                id: t2,
                name: "Thread-2".into(),
                interpreter: gil,
            },
            ThreadInfo {
                id: t3,
                name: "free".into(),
                interpreter: free,
            },
        ],
        events,
    }
}

#[test]
fn each_trace_event_begins_the_state_it_stands_for() {
    let lanes = lanes_from_trace(&hand_trace(), |info| {
        if info.name == "Thread-2" {
            State::Sleeping
        } else {
            State::BlockedIo
        }
    });
    let span = |start_ns, end_ns, state| Span {
        start_ns,
        end_ns,
        state,
    };
    assert_eq!(
        lanes.iter().map(Lane::label).collect::<Vec<_>>(),
        ["Thread-1", "Thread-2", "free"]
    );
    assert_eq!(
        lanes[0].spans(),
        &[
            span(0, 10, State::WaitingForGil),
            span(10, 105, State::HoldingGil),
            // The forced drop waits for the switch, then queues again: one wait.
            span(105, 155, State::WaitingForGil),
            span(155, 320, State::HoldingGil),
        ]
    );
    assert_eq!(
        lanes[1].spans(),
        &[
            span(20, 110, State::WaitingForGil),
            span(110, 150, State::HoldingGil),
            span(150, 300, State::Sleeping),
            span(300, 322, State::WaitingForGil),
            span(322, 400, State::HoldingGil),
        ]
    );
    assert_eq!(lanes[1].markers().len(), 1);
    assert_eq!(lanes[1].markers()[0].at_ns, 100);
    assert_eq!(
        lanes[2].spans(),
        &[
            span(50, 80, State::RunningWithoutGil),
            span(80, 90, State::BlockedIo),
            span(90, 130, State::RunningWithoutGil),
        ]
    );
}

#[test]
fn a_real_run_gives_lanes_in_time_order_and_a_well_formed_picture() {
    let interp = Interpreter::builder()
        .trace(true)
        .switch_interval(Duration::from_micros(500))
        .build();
    let cpu = interp.spawn("cpu", |py| py.cpu_work(200_000));
    let io = interp.spawn("io", |py| {
        for _ in 0..5 {
            py.sleep(Duration::from_micros(300));
            py.cpu_work(1_000);
        }
    });
    cpu.join().expect("the CPU-bound thread");
    io.join().expect("the sleeping thread");
    let log = interp.trace().expect("tracing is on");
    let lanes = lanes_from_trace(&log, |_| State::Sleeping);
    assert_eq!(lanes.len(), 2);
    for lane in &lanes {
        assert!(!lane.spans().is_empty(), "lane {} is empty", lane.label());
        for pair in lane.spans().windows(2) {
            assert!(pair[0].end_ns <= pair[1].start_ns, "{pair:?} out of order");
        }
        assert!(lane.spans().iter().all(|s| s.start_ns < s.end_ns));
    }
    // Lanes come in start order, and which of the two threads starts first is a race.
    let io_lane = lanes
        .iter()
        .find(|l| l.label() == "io")
        .expect("a lane for the io thread");
    assert_eq!(
        io_lane
            .spans()
            .iter()
            .filter(|s| s.state == State::Sleeping)
            .count(),
        5,
        "five sleeps: {:?}",
        io_lane.spans()
    );
    let svg = Timeline::new("a real run").lanes(lanes).to_svg();
    let elements = well_formed(&svg);
    assert!(elements.iter().filter(|e| *e == "rect").count() > 10);
    // In the picture too, each lane's spans go left to right.
    for group in svg.split("<g class=\"lane\">").skip(1) {
        let xs: Vec<f64> = group
            .lines()
            .filter(|l| l.starts_with("<rect") && l.contains("<title>"))
            .map(|l| {
                let x = l
                    .split("x=\"")
                    .nth(1)
                    .and_then(|v| v.split('"').next())
                    .expect("x");
                x.parse().expect("a number")
            })
            .collect();
        assert!(
            xs.windows(2).all(|w| w[0] <= w[1]),
            "spans drawn out of order: {xs:?}"
        );
    }
}
