//! Checks for exercise 13. They are compiled against your crate and against the
//! reference solution; do not edit them.
//!
//! Every call into your code runs on a helper thread and is waited for at most
//! `LIMIT`: a thread that never ends fails the check with a message instead of
//! hanging it. The checks read the model's trace (which thread of which interpreter
//! held which GIL, when) to see how your threads really ran, beside how long they took.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use beyond_the_gil::{
    CpuTask, GilMode, Interpreter, LostUpdates, Tracer, count_in_threads,
    free_threaded_interpreter, own_gil_interpreters, run_on_interpreters, threads_under_one_gil,
};
use python_model::{EventKind, InterpreterId, TraceLog};

/// How long one call into your code may take.
const LIMIT: Duration = Duration::from_secs(30);

/// What a call that never returns usually means.
const NEVER_ENDS: &str = "A thread that never ends, or a join that never returns, is the usual cause: \
    start every thread before you join any, and join each one once.";

/// The speed-up over threads under one GIL that the timed check requires. Measured on
/// the course's 2-core machine (debug build, as the checks run): 2 interpreters with a
/// GIL each ran the work 2.03x to 2.07x as fast as 2 threads sharing one GIL; with one
/// shared GIL (`share_gil_with`) they ran it 0.98x as fast. 1.5x leaves room for a
/// neighbour that takes a slice of a core during the runs.
const SPEEDUP: f64 = 1.5;

/// Attempts of the lost-update checks before they say inconclusive.
const ATTEMPTS: [i64; 3] = [300_000, 1_000_000, 3_000_000];

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

// ---------------------------------------------------------------------------
// One GIL per interpreter (PEP 684).
// ---------------------------------------------------------------------------

#[test]
fn each_interpreter_gets_a_gil_of_its_own() {
    for n in [1, 3] {
        let tracer = Tracer::new();
        let interps = within("`own_gil_interpreters`", {
            let tracer = tracer.clone();
            move || own_gil_interpreters(n, &tracer)
        });
        assert_eq!(
            interps.len(),
            n,
            "`own_gil_interpreters({n}, ..)` returned {} interpreter(s), expected {n}",
            interps.len()
        );
        for (i, interp) in interps.iter().enumerate() {
            match interp.mode() {
                GilMode::Own => {}
                GilMode::Shared { with } => panic!(
                    "interpreter {i} of {n} takes the GIL of {} (GilMode::Shared): one shared \
                     GIL for several interpreters is the legacy sub-interpreter of Python 3.11 and before, whose \
                     threads take turns. Did you build it with `share_gil_with`? PEP 684 gives each interpreter \
                     a GIL of its own: `Interpreter::builder().tracer(tracer.clone()).build()`.",
                    match interps.iter().position(|other| other.id() == with) {
                        Some(j) => format!("interpreter {j}"),
                        None => "an interpreter outside the list".to_string(),
                    }
                ),
                GilMode::FreeThreaded => panic!(
                    "interpreter {i} of {n} has no GIL at all (GilMode::FreeThreaded): that is PEP 703's build, \
                     the second half of this exercise. Here each interpreter has a GIL of its own: leave out \
                     `.free_threaded()`."
                ),
            }
        }
        for (i, a) in interps.iter().enumerate() {
            for (j, b) in interps.iter().enumerate().skip(i + 1) {
                let same = match (a.gil(), b.gil()) {
                    (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                    _ => false,
                };
                assert!(
                    !same,
                    "interpreters {i} and {j} run under one shared GIL: their threads would take turns. Did you \
                     give them one GIL (`share_gil_with`, or one `.gil(..)` for all)? PEP 684 gives each \
                     interpreter a GIL of its own."
                );
            }
        }
        let traced: Vec<InterpreterId> = tracer.log().interpreters.iter().map(|i| i.id).collect();
        for (i, interp) in interps.iter().enumerate() {
            assert!(
                traced.contains(&interp.id()),
                "interpreter {i} of {n} does not record into the tracer it was given, so the checks cannot see \
                 its threads: build each with `.tracer(tracer.clone())`"
            );
        }
    }
}

#[test]
fn run_on_interpreters_gives_each_share_its_result() {
    for n in [1, 2, 3] {
        let share = 20_000;
        let tracer = Tracer::new();
        let interps: Vec<Interpreter> = (0..n)
            .map(|_| Interpreter::builder().tracer(tracer.clone()).build())
            .collect();
        let task = CpuTask::new();
        let results = within("`run_on_interpreters`", {
            let (interps, task) = (interps.clone(), task.clone());
            move || run_on_interpreters(&interps, share * n as u64, &task)
        });
        let one_share = Interpreter::new().run("expected", |py| py.cpu_work(share));
        assert_eq!(
            results,
            vec![one_share; n],
            "`run_on_interpreters` on {n} interpreter(s) with {} turns returned {results:?}; expected {n} \
             result(s), each the result of `task.run(py, {share})` ({one_share}). Look at how the work is \
             split: `work / interpreters.len()` turns for each.",
            share * n as u64
        );
        let log = tracer.log();
        for (i, interp) in interps.iter().enumerate() {
            let threads = log
                .threads
                .iter()
                .filter(|t| t.interpreter == interp.id())
                .count();
            assert_eq!(
                threads, 1,
                "`run_on_interpreters` on {n} interpreter(s): interpreter {i} ran {threads} Python thread(s), \
                 expected 1. Start one thread in each interpreter with `interp.spawn`."
            );
        }
        let runs = task.activity().report().intervals.len();
        assert_eq!(
            runs, n,
            "`task.run` was called {runs} time(s) for {n} interpreter(s), expected once per interpreter"
        );
    }
}

// timed: it compares run times (the timing crate)
#[test]
fn interpreters_with_a_gil_each_run_python_at_the_same_time() {
    // A few tens of milliseconds of work per thread: long enough that the second
    // thread starts while the first still runs, on a busy machine too.
    let work = 2 * timing::size_work(ms(40), |n| {
        Interpreter::new().run("sizing", |py| py.cpu_work(n))
    });
    let mut seen = Vec::new();
    for _ in 0..3 {
        let tracer = Tracer::new();
        let interps = within("`own_gil_interpreters`", {
            let tracer = tracer.clone();
            move || own_gil_interpreters(2, &tracer)
        });
        assert_eq!(
            interps.len(),
            2,
            "`own_gil_interpreters(2, ..)` returned {} interpreters",
            interps.len()
        );
        let shared = matches!(interps[1].mode(), GilMode::Shared { .. })
            || matches!(interps[0].mode(), GilMode::Shared { .. });
        within("`run_on_interpreters`", {
            let interps = interps.clone();
            move || run_on_interpreters(&interps, work, &CpuTask::new())
        });
        let log = tracer.log();
        let overlap = overlap_of_different_gils(&log);
        if overlap > Duration::ZERO {
            timing::report!(
                "2 interpreters held their own GILs at the same time for {:.1} ms, at most {} holder \
                 per GIL",
                overlap.as_secs_f64() * 1e3,
                log.max_simultaneous_holders()
            );
            return;
        }
        let gils: Vec<_> = {
            let mut g: Vec<_> = log.holds().iter().map(|h| h.gil).collect();
            g.sort();
            g.dedup();
            g
        };
        seen.push((shared, gils.len()));
    }
    let (shared, gils) = seen.last().copied().unwrap_or((false, 0));
    if shared || gils == 1 {
        panic!(
            "in 3 runs of 2 interpreters, one thread each, no two threads ever held a GIL at the same time: the \
             interpreters took turns on one shared GIL. Did you build them with `share_gil_with`? Then they \
             are the legacy sub-interpreters of Python 3.11 and before. PEP 684 gives each interpreter a GIL \
             of its own."
        );
    }
    panic!(
        "in 3 runs of 2 interpreters with a GIL each, the two threads never held their GILs at the same time: \
         they ran one after the other. Look at `run_on_interpreters`: start every thread before joining any."
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn interpreters_beat_threads_under_one_gil_on_cpu_work() {
    let work = 2 * timing::size_work(ms(75), |n| {
        Interpreter::new().run("sizing", |py| py.cpu_work(n))
    });
    // Right results first, on the learner's own interpreters.
    let expected = Interpreter::new().run("expected", |py| py.cpu_work(work / 2));
    let results = within("`run_on_interpreters`", move || {
        run_on_interpreters(
            &own_gil_interpreters(2, &Tracer::new()),
            work,
            &CpuTask::new(),
        )
    });
    assert_eq!(
        results,
        vec![expected; 2],
        "`run_on_interpreters` on 2 interpreters with {work} turns returned {results:?}, expected \
         [{expected}, {expected}]"
    );
    let on_one_gil = CpuTask::new();
    let on_interpreters = CpuTask::new();
    timing::compare("CPU-bound Python, 2 interpreters with a GIL each vs 2 threads under one GIL")
        .baseline("2 threads, one GIL", || {
            threads_under_one_gil(&Interpreter::new(), 2, work, &on_one_gil)
        })
        .candidate("2 interpreters, a GIL each", || {
            let task = on_interpreters.clone();
            within("`run_on_interpreters`", move || {
                run_on_interpreters(&own_gil_interpreters(2, &Tracer::new()), work, &task)
            })
        })
        .needs_cores(2)
        .expect_candidate_faster(SPEEDUP)
        .expect_parallel(on_interpreters.activity(), 2)
        .hint(
            "If the 2 interpreters took turns, they run under one shared GIL: did you build them with \
             `share_gil_with`? PEP 684 gives each interpreter a GIL of its own. Otherwise look at \
             `run_on_interpreters`: start both threads before joining either.",
        )
        .check();
}

// ---------------------------------------------------------------------------
// No GIL (PEP 703): the lost update comes back, and a lock fixes it.
// ---------------------------------------------------------------------------

#[test]
fn with_the_gil_counter_plus_equals_one_loses_nothing() {
    let interp = Interpreter::builder().trace(true).build();
    let watched = interp.clone();
    let per_thread = 1_000_000;
    let result = within("`count_in_threads`", move || {
        count_in_threads(&interp, 2, per_thread, false)
    })
    .unwrap_or_else(|e| {
        panic!("`count_in_threads(gil interpreter, 2, {per_thread}, false)` failed: {e}")
    });
    counted_what_it_ran(&watched, &result, 2, per_thread, false);
    assert_eq!(
        result.counted, result.expected,
        "on an interpreter with a GIL, `counter += 1` on 2 threads, {per_thread} times each, counted {} of {}. \
         Since CPython 3.10 a thread gives up the GIL only at a loop's back-edge or a function's entry, never \
         between the read and the write of `counter += 1`, so no update is lost. Are you running \
         `Program::add_in_place()`? `counter = counter + one()` (`add_with_call`) has a check point inside.",
        result.counted, result.expected
    );
    timing::report!(
        "with the GIL, counter += 1 on 2 threads x {per_thread}: counted {} of {} (none lost)",
        result.counted, result.expected
    );
}

#[test]
fn without_the_gil_counter_plus_equals_one_loses_updates() {
    let tracer = Tracer::new();
    let interp = within("`free_threaded_interpreter`", {
        let tracer = tracer.clone();
        move || free_threaded_interpreter(&tracer)
    });
    assert!(
        interp.mode() == GilMode::FreeThreaded,
        "`free_threaded_interpreter` built an interpreter in mode {:?}; the free-threaded build (PEP 703) has \
         no GIL: `Interpreter::builder().free_threaded()`",
        interp.mode()
    );
    assert!(
        tracer
            .log()
            .interpreters
            .iter()
            .any(|i| i.id == interp.id()),
        "`free_threaded_interpreter` does not record into the tracer it was given: build it with \
         `.tracer(tracer.clone())`"
    );
    let mut overlapped = false;
    let mut runs = Vec::new();
    for per_thread in ATTEMPTS {
        tracer.clear_events();
        let result = within("`count_in_threads`", {
            let interp = interp.clone();
            move || count_in_threads(&interp, 2, per_thread, false)
        })
        .unwrap_or_else(|e| {
            panic!(
                "`count_in_threads(free-threaded interpreter, 2, {per_thread}, false)` failed: {e}"
            )
        });
        counted_what_it_ran(&interp, &result, 2, per_thread, false);
        let log = tracer.log();
        overlapped |= threads_overlapped(&log);
        runs.push(format!("{} of {}", result.counted, result.expected));
        if result.counted < result.expected {
            timing::report!(
                "free-threaded, counter += 1 on 2 threads x {per_thread}: counted {} of {}, lost {:.1}%",
                result.counted,
                result.expected,
                result.lost_fraction() * 100.0
            );
            return;
        }
    }
    let free = timing::free_cores();
    let cores_free = free >= 1.7;
    if !overlapped && cores_free {
        panic!(
            "with no GIL, `counter += 1` on 2 threads counted {} in {} runs: every update survived, because \
             the threads never ran at the same time (one ended before the other started). Look at \
             `count_in_threads`: start every thread before joining any.",
            runs.join(", "),
            runs.len()
        );
    }
    if overlapped && cores_free {
        panic!(
            "with no GIL, `counter += 1` on 2 threads running at the same time counted {} in {} runs: no \
             update was lost, although nothing keeps one thread from reading `counter` while the other is \
             between its read and its write. With `with_lock: false`, `count_in_threads` must run \
             `Program::add_in_place()`, without the lock.",
            runs.join(", "),
            runs.len()
        );
    }
    timing::inconclusive(format!(
        "with no GIL, `counter += 1` on 2 threads lost no update in {} runs ({}), but only {free:.1} cores \
         were free, so the threads may not have run at the same time: run the check again when the machine \
         is less busy",
        runs.len(),
        runs.join(", ")
    ));
}

#[test]
fn without_the_gil_a_lock_makes_the_count_exact() {
    let per_thread = 200_000;
    let mut overlapped = false;
    for threads in [2, 4] {
        let interp = Interpreter::builder().free_threaded().trace(true).build();
        let watched = interp.clone();
        let result = within("`count_in_threads`", move || {
            count_in_threads(&interp, threads, per_thread, true)
        })
        .unwrap_or_else(|e| {
            panic!("`count_in_threads(free-threaded interpreter, {threads}, {per_thread}, true)` failed: {e}")
        });
        counted_what_it_ran(&watched, &result, threads, per_thread, true);
        assert!(
            result.counted == result.expected,
            "with no GIL and `with_lock: true`, `counter += 1` on {threads} threads, {per_thread} times each, \
             counted {} of {}: {} updates were lost. Did you leave out the lock because the GIL used to keep \
             `counter += 1` whole? Without a GIL nothing does: run `Program::add_in_place_locked()`, whose \
             `with lock:` lets one thread at a time between the read and the write.",
            result.counted,
            result.expected,
            result.expected - result.counted
        );
        let log = watched.trace().expect("tracing is on");
        overlapped |= threads_overlapped(&log);
        timing::report!(
            "free-threaded, `with lock: counter += 1` on {threads} threads x {per_thread}: counted {} of {}",
            result.counted, result.expected
        );
    }
    if !overlapped {
        let free = timing::free_cores();
        if free >= 1.7 {
            panic!(
                "the count was exact, but the threads never ran at the same time (each ended before the next \
                 started), so the lock was never put to the test. Look at `count_in_threads`: start every \
                 thread before joining any."
            );
        }
        timing::inconclusive(format!(
            "the count was exact, but the threads never ran at the same time and only {free:.1} cores were \
             free: run the check again when the machine is less busy"
        ));
    }
}

// ---------------------------------------------------------------------------
// Reading the trace.
// ---------------------------------------------------------------------------

/// Checks that `count_in_threads` ran `threads` threads on `interp` and reported the
/// counter it left behind.
fn counted_what_it_ran(
    interp: &Interpreter,
    result: &LostUpdates,
    threads: usize,
    per_thread: i64,
    with_lock: bool,
) {
    let call = format!("`count_in_threads(.., {threads}, {per_thread}, {with_lock})`");
    let expected = threads as i64 * per_thread;
    assert_eq!(
        result.expected, expected,
        "{call} says {} increments were made, expected {threads} x {per_thread} = {expected}",
        result.expected
    );
    let counter = interp.globals().get("counter");
    assert_eq!(
        Some(result.counted),
        counter,
        "{call} says the counter ended at {}, but the interpreter's global `counter` is {counter:?}: read it \
         back with `interp.globals().get(\"counter\")` after joining every thread",
        result.counted
    );
    assert!(
        result.counted <= expected && result.counted > 0,
        "{call} ended with counter = {}, outside 1..={expected}: did it start from 0 \
         (`interp.globals().set(\"counter\", 0)`)?",
        result.counted
    );
    if let Some(log) = interp.trace() {
        // Threads that started since the trace's events were last cleared.
        let ran = log
            .events
            .iter()
            .filter(|e| e.interpreter == interp.id() && e.kind == EventKind::ThreadStart)
            .count();
        assert_eq!(
            ran, threads,
            "{call} ran {ran} Python thread(s) on the interpreter, expected {threads}: start each with \
             `interp.spawn`"
        );
    }
}

/// How long threads held two different GILs at the same moment, in all.
fn overlap_of_different_gils(log: &TraceLog) -> Duration {
    let holds = log.holds();
    let mut total = 0u64;
    for (i, a) in holds.iter().enumerate() {
        for b in holds.iter().skip(i + 1) {
            if a.gil != b.gil {
                let start = a.start_ns.max(b.start_ns);
                let end = a.end_ns.min(b.end_ns);
                total += end.saturating_sub(start);
            }
        }
    }
    Duration::from_nanos(total)
}

/// Whether two threads of the trace were alive (between their `ThreadStart` and
/// `ThreadEnd`) at the same moment.
fn threads_overlapped(log: &TraceLog) -> bool {
    let mut lives: HashMap<_, (u64, u64)> = HashMap::new();
    for e in &log.events {
        match e.kind {
            EventKind::ThreadStart => {
                lives.entry(e.thread).or_insert((e.t_ns, u64::MAX)).0 = e.t_ns;
            }
            EventKind::ThreadEnd => {
                lives.entry(e.thread).or_insert((0, e.t_ns)).1 = e.t_ns;
            }
            _ => {}
        }
    }
    let lives: Vec<_> = lives.into_values().collect();
    lives
        .iter()
        .enumerate()
        .any(|(i, a)| lives.iter().skip(i + 1).any(|b| a.0 < b.1 && b.0 < a.1))
}

// ---------------------------------------------------------------------------
// Bounded calls.
// ---------------------------------------------------------------------------

/// Runs `work` on a helper thread and waits at most `LIMIT` for it; fails, naming `what`,
/// when it does not return. A panic inside `work`, such as a `todo!()`, is passed on.
fn within<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    match timing::bounded(LIMIT, work) {
        Ok(value) => value,
        Err(timing::StillRunning) => panic!(
            "{what} had not returned after {} s. {NEVER_ENDS}",
            LIMIT.as_secs()
        ),
    }
}
