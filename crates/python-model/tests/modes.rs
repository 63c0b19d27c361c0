//! The interpreter's GIL modes (its own GIL, a shared one, none) and the trace.

mod common;

use std::time::Duration;

use common::serial;
use python_model::workloads::lost_updates;
use python_model::{DropReason, EventKind, GilMode, Interpreter, Program, TraceLog, Tracer};

/// Whether any hold of one GIL overlaps in time with a hold of another.
fn holds_of_different_gils_overlap(trace: &TraceLog) -> bool {
    let holds = trace.holds();
    holds.iter().any(|a| {
        holds
            .iter()
            .any(|b| a.gil != b.gil && a.start_ns < b.end_ns && b.start_ns < a.end_ns)
    })
}

#[test]
fn interpreters_with_their_own_gil_hold_them_at_the_same_time() {
    let _serial = serial();
    let tracer = Tracer::new();
    let a = Interpreter::builder().tracer(tracer.clone()).build();
    let b = Interpreter::builder().tracer(tracer.clone()).build();
    assert_eq!(a.mode(), GilMode::Own);
    let handles = [&a, &b].map(|interp| interp.spawn("cpu", |py| py.cpu_work(1_000_000)));
    for h in handles {
        h.join().expect("a CPU-bound thread panicked");
    }
    let trace = tracer.log();
    assert_eq!(
        trace.max_simultaneous_holders(),
        1,
        "each GIL still has one holder at a time"
    );
    assert!(
        holds_of_different_gils_overlap(&trace),
        "two interpreters with their own GILs never held them at the same time: {:?}",
        trace.holds()
    );
}

#[test]
fn interpreters_sharing_a_gil_take_turns() {
    let _serial = serial();
    let tracer = Tracer::new();
    let main = Interpreter::builder()
        .tracer(tracer.clone())
        .switch_interval(Duration::from_millis(1))
        .build();
    let sub = Interpreter::builder()
        .share_gil_with(&main)
        .tracer(tracer.clone())
        .build();
    assert_eq!(sub.mode(), GilMode::Shared { with: main.id() });
    assert_eq!(
        sub.switch_interval(),
        Duration::from_millis(1),
        "one GIL, one interval"
    );
    let handles = [&main, &sub].map(|interp| interp.spawn("cpu", |py| py.cpu_work(1_000_000)));
    for h in handles {
        h.join().expect("a CPU-bound thread panicked");
    }
    let trace = tracer.log();
    assert!(!holds_of_different_gils_overlap(&trace));
    assert_eq!(trace.max_simultaneous_holders(), 1);
    let switches = trace.handoffs().len();
    assert!(
        switches >= 2,
        "the two interpreters' threads should take turns, switched {switches} times"
    );
}

#[test]
fn without_a_gil_counter_plus_equals_one_loses_updates_again() {
    let _serial = serial();
    let interp = Interpreter::builder().free_threaded().build();
    assert_eq!(interp.mode(), GilMode::FreeThreaded);
    assert_eq!(interp.switch_interval(), Duration::ZERO);
    // Truly parallel threads interleave their LOAD_GLOBAL and STORE_GLOBAL. Even with one
    // free core, preemption between the two loses updates; three tries make a miss
    // practically impossible unless the race is gone.
    let program = Program::add_in_place();
    let mut runs = Vec::new();
    for _ in 0..3 {
        let result = lost_updates(&interp, &program, "add_in_place", 2, 2_000_000)
            .expect("the program runs");
        runs.push(result.lost_fraction());
        if result.lost_fraction() > 0.0 {
            return;
        }
    }
    panic!("no update was lost in 3 free-threaded runs of `counter += 1` ({runs:?})");
}

#[test]
fn without_a_gil_a_lock_still_makes_the_count_exact() {
    let _serial = serial();
    let interp = Interpreter::builder().free_threaded().build();
    let result = lost_updates(
        &interp,
        &Program::add_in_place_locked(),
        "add_in_place_locked",
        2,
        200_000,
    )
    .expect("the program runs");
    assert_eq!(result.counted, result.expected, "{result:?}");
}

#[test]
fn free_threaded_threads_record_no_gil_events() {
    let interp = Interpreter::builder().free_threaded().trace(true).build();
    interp
        .spawn("t", |py| {
            py.cpu_work(10);
            py.sleep(Duration::from_millis(1));
            assert!(!py.holds_gil());
        })
        .join()
        .expect("thread panicked");
    let trace = interp.trace().expect("tracing is on");
    let kinds: Vec<EventKind> = trace.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EventKind::ThreadStart,
            EventKind::BlockingStart,
            EventKind::BlockingEnd,
            EventKind::ThreadEnd
        ]
    );
    assert_eq!(trace.interpreters[0].gil, None);
}

#[test]
fn a_thread_trace_reads_in_order() {
    let interp = Interpreter::builder().trace(true).build();
    interp.run("main", |py| {
        py.cpu_work(10);
        py.sleep(Duration::from_millis(1));
    });
    let trace = interp.trace().expect("tracing is on");
    let kinds: Vec<EventKind> = trace.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EventKind::ThreadStart,
            EventKind::WaitStart,
            EventKind::Take,
            EventKind::Drop {
                reason: DropReason::Blocking
            },
            EventKind::DropEnd,
            EventKind::BlockingStart,
            EventKind::BlockingEnd,
            EventKind::WaitStart,
            EventKind::Take,
            EventKind::Drop {
                reason: DropReason::ThreadExit
            },
            EventKind::DropEnd,
            EventKind::ThreadEnd,
        ]
    );
    assert!(
        trace.events.windows(2).all(|w| w[0].t_ns <= w[1].t_ns),
        "events are in time order"
    );
    assert_eq!(trace.threads.len(), 1);
    assert_eq!(trace.threads[0].name, "main");
}

#[test]
fn the_trace_is_plain_serialisable_data() {
    let interp = Interpreter::builder().trace(true).build();
    let h = interp.spawn("t", |py| py.sleep(Duration::from_millis(1)));
    h.join().expect("thread panicked");
    let trace = interp.trace().expect("tracing is on");
    let json = serde_json::to_string(&trace).expect("serialises");
    assert!(
        json.contains(r#""kind":"drop","reason":"blocking""#),
        "{json}"
    );
    let back: TraceLog = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, trace);
}

#[test]
fn tracing_is_off_by_default() {
    let interp = Interpreter::new();
    interp.run("main", |py| py.cpu_work(10));
    assert!(interp.trace().is_none());
    assert!(interp.tracer().is_none());
}

#[test]
fn a_panicking_thread_releases_the_gil() {
    let interp = Interpreter::new();
    let crashed = interp.spawn("crash", |py| {
        py.cpu_work(10);
        panic!("boom");
    });
    assert!(crashed.join().is_err());
    // If the GIL were still held this would never finish.
    let ok = interp.spawn("after", |py| py.cpu_work(10));
    assert!(ok.join().is_ok());
}

#[test]
fn running_a_second_python_thread_on_the_same_gil_from_one_os_thread_is_refused() {
    let interp = Interpreter::new();
    let again = interp.clone();
    let nested = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        interp.run("outer", |_py| again.run("inner", |_py| ()));
    }));
    let message = nested
        .expect_err("a nested run on the same GIL must not be allowed")
        .downcast::<String>()
        .map(|s| *s)
        .unwrap_or_default();
    assert!(message.contains("would wait forever"), "{message}");
    // The refused attempt left the GIL usable.
    interp.run("after", |py| py.cpu_work(10));
}

#[test]
fn a_python_thread_may_enter_another_interpreter_with_its_own_gil() {
    let main = Interpreter::new();
    let sub = Interpreter::new();
    let result = main.run("main", |py| {
        py.cpu_work(10);
        sub.run("main-in-sub", |inner| inner.cpu_work(10))
    });
    assert_eq!(result, python_model::work::unmodelled(10));
}
