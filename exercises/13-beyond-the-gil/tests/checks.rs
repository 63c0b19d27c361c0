//! Checks for exercise 13. They are compiled against your crate and against the
//! reference solution; do not edit them.
//!
//! Every call into your code runs on a helper thread and is waited for at most
//! `LIMIT`: a thread that never ends fails the check with a message instead of
//! hanging it. The checks read the model's trace (which thread of which interpreter
//! held which GIL, when) to see how your threads really ran, beside what they returned.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use beyond_the_gil::{
    CpuTask, GilMode, Interpreter, LostUpdates, Tracer, count_in_threads,
    free_threaded_interpreter, own_gil_interpreters, run_on_interpreters, threads_under_one_gil,
};
use python_model::{EvalError, EventKind, InterpreterId, TraceLog};

/// How long one call into your code may take.
const LIMIT: Duration = Duration::from_secs(30);

/// What a call that never returns usually means.
const NEVER_ENDS: &str = "A thread that never ends, or a join that never returns, is the usual cause: \
    start every thread before you join any, and join each one once.";

/// The speed-up over threads under one GIL that the timed check requires on two free
/// cores (the timing crate scales it down when fewer are free). Measured on the course's
/// 2-core machine (debug build, as the checks run): 2 interpreters with a GIL each ran
/// the work 2.03x to 2.10x as fast as 2 threads sharing one GIL; with one shared GIL
/// (`share_gil_with`) 1.00x.
const SPEEDUP: f64 = 1.5;

/// How long the runs of a meeting task wait for each other (see `CpuTask::meeting`).
/// Runs that can meet do so within a thread's start-up; only runs that cannot pay it.
const PATIENCE: Duration = Duration::from_secs(2);

/// Turns of the loop for each thread of the checks that watch how threads ran: a few
/// milliseconds of the model's Python.
const TURNS: u64 = 100_000;

/// Attempts of the lost-update check before it says inconclusive.
const ATTEMPTS: [i64; 3] = [300_000, 1_000_000, 3_000_000];

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

// step interpreters: `own_gil_interpreters`, interpreters with a GIL each (PEP 684)

#[test]
fn each_interpreter_gets_a_gil_of_its_own() {
    for n in [1, 3, 2] {
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
                    "interpreter {i} of {n} takes the GIL of {} (GilMode::Shared): that is the legacy \
                     sub-interpreter of Python 3.11 and before, whose threads take turns on one GIL with \
                     the interpreter it shares it with (the builder's `share_gil_with` makes it). PEP 684 \
                     gives each interpreter a GIL of its own.",
                    match interps.iter().position(|other| other.id() == with) {
                        Some(j) => format!("interpreter {j}"),
                        None => "an interpreter outside the list".to_string(),
                    }
                ),
                GilMode::FreeThreaded => panic!(
                    "interpreter {i} of {n} has no GIL at all (GilMode::FreeThreaded): that is PEP 703's \
                     free-threaded build, the second half of this exercise. Here each interpreter has a \
                     GIL of its own (PEP 684)."
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
                    "interpreters {i} and {j} hold one and the same GIL object, so their threads would \
                     take turns: was one GIL handed to the builder of each? PEP 684 gives each \
                     interpreter a GIL of its own."
                );
            }
        }
        let traced: Vec<InterpreterId> = tracer.log().interpreters.iter().map(|i| i.id).collect();
        for (i, interp) in interps.iter().enumerate() {
            assert!(
                traced.contains(&interp.id()),
                "interpreter {i} of {n} does not record into the tracer it was given, so the checks cannot \
                 see its threads: the builder takes the tracer (`InterpreterBuilder::tracer`)"
            );
        }
    }
}

// step run-on-interpreters: `run_on_interpreters`, one thread in each interpreter, side by side

#[test]
fn run_on_interpreters_gives_each_share_its_result() {
    for (n, share) in [(1, 30_000), (3, 17_000), (2, 20_000)] {
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
        let per_interp = threads_per_interpreter(&log, &interps);
        if per_interp.iter().any(|&t| t != 1) {
            let seen: Vec<String> = per_interp
                .iter()
                .enumerate()
                .map(|(i, t)| format!("interpreter {i} ran {t} Python thread(s)"))
                .collect();
            panic!(
                "`run_on_interpreters` on {n} interpreter(s): {}; expected one thread in each, so that each \
                 thread has a GIL to itself.{}",
                seen.join(", "),
                if per_interp.iter().all(|&t| t == 0) {
                    " No thread ran on these interpreters at all: the work ran somewhere else (on the \
                     calling thread, or on an interpreter made inside the function)."
                } else {
                    ""
                }
            );
        }
        let runs = task.activity().report().intervals.len();
        assert_eq!(
            runs, n,
            "`task.run` was called {runs} time(s) for {n} interpreter(s), expected once per interpreter"
        );
    }
}

#[test]
fn interpreters_with_a_gil_each_run_python_at_the_same_time() {
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
    // Each run waits (holding its GIL) until the other is under way too, at most PATIENCE.
    let task = CpuTask::meeting(2, PATIENCE);
    within("`run_on_interpreters`", {
        let (interps, task) = (interps.clone(), task.clone());
        move || run_on_interpreters(&interps, 2 * TURNS, &task)
    });
    let log = tracer.log();
    let met = task.most_at_once();
    let overlap = overlap_of_different_gils(&log);
    if met >= 2 && overlap > Duration::ZERO {
        timing::report!(
            "2 interpreters, one thread each: both runs under way at once, holding 2 different GILs at the \
             same time for {:.1} ms, at most {} holder per GIL",
            overlap.as_secs_f64() * 1e3,
            log.max_simultaneous_holders()
        );
        return;
    }
    let per_interp = threads_per_interpreter(&log, &interps);
    if met >= 2 {
        if let Some(i) = interps.iter().position(|it| it.mode() == GilMode::FreeThreaded) {
            panic!(
                "the 2 runs of the task were under way at the same time, but without a GIL: interpreter {i} \
                 is free-threaded (GilMode::FreeThreaded), PEP 703's build. PEP 684's interpreters each \
                 hold a GIL of their own; look at `own_gil_interpreters`."
            );
        }
        panic!(
            "the 2 runs of the task were under way at the same time, but the trace shows no two threads of \
             these interpreters holding their GILs at once (Python threads per interpreter: {per_interp:?}): \
             the task ran somewhere else, on another interpreter or outside the model. Run each share on a \
             thread of one of the interpreters you were given."
        );
    }
    let runs = task.activity().report().intervals.len();
    let mut candidates = Vec::new();
    for (i, interp) in interps.iter().enumerate() {
        if let GilMode::Shared { .. } = interp.mode() {
            candidates.push(format!(
                "interpreter {i} takes another interpreter's GIL (GilMode::Shared), so their threads take \
                 turns on one GIL, as the legacy sub-interpreters of Python 3.11 and before did"
            ));
        }
    }
    if per_interp != [1, 1] {
        candidates.push(format!(
            "the interpreters ran {per_interp:?} Python threads, expected one each: threads of one \
             interpreter take turns on its GIL"
        ));
    }
    if runs < 2 {
        candidates.push(format!("`task.run` was called {runs} time(s), expected twice"));
    }
    if candidates.is_empty() {
        panic!(
            "the 2 interpreters have a GIL each and ran one thread each, but the two runs of the task were \
             never under way at the same time (the first waited {} s for the second): the threads ran one \
             after the other. Look at `run_on_interpreters`: is each thread joined before the next one is \
             started? An iterator chain that spawns and joins in one go is lazy, and does exactly that.",
            PATIENCE.as_secs()
        );
    }
    panic!(
        "the 2 runs of the task were never under way at the same time (the first waited {} s for the \
         second). What the trace shows: {}.",
        PATIENCE.as_secs(),
        candidates.join("; ")
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn interpreters_beat_threads_under_one_gil_on_cpu_work() {
    // About 120 ms of Python for the baseline, 60 ms for each interpreter's half.
    let work = 2 * timing::size_work(ms(60), |n| {
        Interpreter::new().run("sizing", |py| py.cpu_work(n))
    });
    // Right results first, on the learner's own interpreters; their GILs name the hint.
    let expected = Interpreter::new().run("expected", |py| py.cpu_work(work / 2));
    let interps = within("`own_gil_interpreters`", || own_gil_interpreters(2, &Tracer::new()));
    let results = within("`run_on_interpreters`", {
        let interps = interps.clone();
        move || run_on_interpreters(&interps, work, &CpuTask::new())
    });
    assert_eq!(
        results,
        vec![expected; 2],
        "`run_on_interpreters` on 2 interpreters with {work} turns returned {results:?}, expected \
         [{expected}, {expected}]"
    );
    // The baseline does the same work, so that the race is fair.
    let baseline = threads_under_one_gil(&Interpreter::new(), 2, work, &CpuTask::new());
    assert_eq!(
        baseline,
        vec![expected; 2],
        "the given baseline `threads_under_one_gil` returned {baseline:?} for {work} turns on 2 threads, \
         expected [{expected}, {expected}]: the course's own code is wrong here, not yours"
    );
    let hint = if interps.iter().any(|i| matches!(i.mode(), GilMode::Shared { .. })) {
        "The interpreters `own_gil_interpreters` builds share one GIL (GilMode::Shared), so their threads \
         take turns; PEP 684 gives each interpreter a GIL of its own."
            .to_string()
    } else {
        format!(
            "`own_gil_interpreters` gives the interpreters {:?}, so look at `run_on_interpreters`. What makes \
             interpreters with a GIL each take turns there: each thread joined before the next one starts (a \
             lazy iterator chain that spawns and joins does this), or every thread started on one interpreter.",
            interps.iter().map(Interpreter::mode).collect::<Vec<_>>()
        )
    };
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
        .hint(hint)
        .check();
}

// step free-threaded: `free_threaded_interpreter`, no GIL at all (PEP 703)

#[test]
fn the_free_threaded_interpreter_runs_threads_without_a_gil() {
    let tracer = Tracer::new();
    let interp = within("`free_threaded_interpreter`", {
        let tracer = tracer.clone();
        move || free_threaded_interpreter(&tracer)
    });
    assert!(
        interp.mode() == GilMode::FreeThreaded,
        "`free_threaded_interpreter` built an interpreter in mode {:?}; the free-threaded build (PEP 703) \
         has no GIL at all (GilMode::FreeThreaded): the builder has a choice for it.",
        interp.mode()
    );
    assert!(
        tracer.log().interpreters.iter().any(|i| i.id == interp.id()),
        "`free_threaded_interpreter` does not record into the tracer it was given, so the checks cannot see \
         its threads: the builder takes the tracer (`InterpreterBuilder::tracer`)"
    );
    // Two of its threads are under way at once and nobody holds a GIL.
    let task = CpuTask::meeting(2, PATIENCE);
    let handles: Vec<_> = (0..2)
        .map(|i| {
            let task = task.clone();
            interp.spawn(&format!("free-{i}"), move |py| task.run(py, TURNS))
        })
        .collect();
    for h in handles {
        h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    }
    let holds = tracer.log().holds().len();
    assert!(
        task.most_at_once() == 2 && holds == 0,
        "2 threads of the free-threaded interpreter: {} under way at once, {holds} GIL hold(s) in the trace; \
         expected 2 at once and no GIL",
        task.most_at_once()
    );
}

// step count: `count_in_threads`, the lost update without a GIL, and the lock that fixes it

#[test]
fn with_the_gil_counter_plus_equals_one_loses_nothing() {
    let interp = Interpreter::builder().trace(true).build();
    let watched = interp.clone();
    let per_thread = 700_000;
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
         From CPython 3.10 a thread gives up the GIL only at a check point (a loop's back-edge, a function's \
         entry), never between the read and the write of `counter += 1`, so no update is lost. Is it \
         `Program::add_in_place` that runs? `counter = counter + one()` (`add_with_call`) has a check point \
         inside.",
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
    let interp = Interpreter::builder().tracer(tracer.clone()).free_threaded().build();
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
             the threads were never alive at the same time (one ended before the other started). Look at \
             `count_in_threads`: is each thread joined before the next one is started (a lazy iterator \
             chain that spawns and joins does that)?",
            runs.join(", "),
            runs.len()
        );
    }
    if overlapped && cores_free {
        panic!(
            "with no GIL, `counter += 1` on 2 threads alive at the same time counted {} in {} runs: no update \
             was lost, although with `with_lock: false` nothing should keep one thread from reading `counter` \
             while the other is between its read and its write. Candidates: the program with `with lock:` \
             ran (with `with_lock: false` it is `Program::add_in_place`), or a lock of your own keeps the \
             threads apart (a Rust `Mutex` around each thread's call runs them one after the other).",
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
    let mut overlapped = false;
    for (threads, per_thread) in [(2, 150_000), (4, 70_000)] {
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
             `counter += 1` whole? Without a GIL nothing does: with `with_lock` it is the program whose \
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
    assert!(
        overlapped,
        "the count was exact, but the threads were never alive at the same time (each ended before the next \
         started), so the lock was never put to the test. Look at `count_in_threads`: is each thread joined \
         before the next one is started (a lazy iterator chain that spawns and joins does that)?"
    );
}

#[test]
fn without_the_gil_each_increment_takes_the_interpreters_lock() {
    let interp = Interpreter::builder().free_threaded().trace(true).build();
    let lock = interp.lock("lock");
    let per_thread = 100_000;
    let counter = |interp: &Interpreter| interp.globals().get("counter").unwrap_or(0);
    // The check holds the program's own lock before the threads start, and again for a
    // few milliseconds at a time while they count. While it holds it, every increment
    // that goes through `with lock:` must wait, and the counter must stand still.
    lock.acquire_blocking();
    let counting = std::thread::spawn({
        let interp = interp.clone();
        move || timing::bounded(LIMIT, move || count_in_threads(&interp, 2, per_thread, true))
    });
    let mut held = Vec::new();
    let mut hold = ms(50);
    loop {
        let before = counter(&interp);
        std::thread::sleep(hold);
        let after = counter(&interp);
        lock.release().expect("the check holds the lock");
        held.push((before, after));
        hold = ms(5);
        std::thread::sleep(ms(5));
        if counting.is_finished() || held.len() >= 40 {
            break;
        }
        lock.acquire_blocking();
    }
    let result = match counting.join() {
        Ok(Ok(outcome)) => outcome.unwrap_or_else(|e| {
            panic!("`count_in_threads(free-threaded interpreter, 2, {per_thread}, true)` failed: {e}")
        }),
        Ok(Err(timing::StillRunning)) => panic!(
            "`count_in_threads` had not returned after {} s. {NEVER_ENDS}",
            LIMIT.as_secs()
        ),
        Err(panic) => std::panic::resume_unwind(panic),
    };
    counted_what_it_ran(&interp, &result, 2, per_thread, true);
    if let Some((before, after)) = held.iter().find(|(before, after)| before != after) {
        panic!(
            "while the check held the interpreter's `lock` (the lock the program's `with lock:` takes), the \
             counter still went from {before} to {after}: the increments do not go through that lock. With \
             `with_lock: true`, each increment must happen inside the program's `with lock:`. (A lock of your \
             own around each thread's whole loop keeps the count exact too, but only by running the threads \
             one after the other.)"
        );
    }
    let log = interp.trace().expect("tracing is on");
    let both = longest_shared_wait(&log);
    if both >= ms(1) {
        timing::report!(
            "while the check held `lock`, the counter stood still ({} holds) and both threads waited for it \
             at once for {:.1} ms",
            held.len(),
            both.as_secs_f64() * 1e3
        );
        return;
    }
    let calls = log.blocking_calls();
    let waiters = {
        let mut t: Vec<_> = calls.iter().map(|c| c.thread).collect();
        t.sort();
        t.dedup();
        t.len()
    };
    panic!(
        "the count was exact and the counter stood still while the check held `lock`, but the 2 threads were \
         never both waiting for it at the same moment ({} wait(s) for the lock, by {waiters} thread(s)), \
         though the check held it for 50 ms as they started and {} more times while they ran: they never \
         counted side by side. Candidates: each thread joined before the next one is started (a lazy \
         iterator chain that spawns and joins does that), or a lock of your own that keeps each thread's \
         whole run apart from the other's.",
        calls.len(),
        held.len() - 1
    );
}

#[test]
fn count_in_threads_passes_a_threads_error_on() {
    let interp = Interpreter::new();
    // Never reached: the check pushes `counter` to the top of the 64-bit range while the
    // threads count, so their next `counter += 1` overflows (the model's OverflowError).
    let per_thread = 1_000_000_000;
    let near_top = i64::MAX - 1_000;
    let counting = std::thread::spawn({
        let interp = interp.clone();
        move || timing::bounded(LIMIT, move || count_in_threads(&interp, 2, per_thread, false))
    });
    let mut pushes = 0;
    while !counting.is_finished() {
        match interp.globals().get("counter") {
            Some(c) if c > 0 && c < near_top => {
                interp.globals().set("counter", near_top);
                pushes += 1;
            }
            _ => {}
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let outcome = match counting.join() {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(timing::StillRunning)) => panic!(
            "`count_in_threads` had not returned after {} s although its threads' programs stopped with an \
             error. {NEVER_ENDS}",
            LIMIT.as_secs()
        ),
        Err(panic) => {
            let message = panic_message(panic.as_ref());
            if message.contains("not yet implemented") || message.contains("not implemented") {
                std::panic::resume_unwind(panic);
            }
            panic!(
                "the check pushed `counter` to {near_top} while the threads counted, so their programs \
                 stopped with an overflow error (the model's OverflowError), and `count_in_threads` \
                 panicked: \"{message}\". A thread's program that stops with an error is an outcome to \
                 report, not a bug: return it as `Err`."
            );
        }
    };
    match outcome {
        Err(EvalError::Overflow { function, pc }) => timing::report!(
            "a thread's overflow in `{function}` (instruction {pc}) came back as Err, after {pushes} push(es) \
             of the counter"
        ),
        Err(other) => panic!(
            "the check pushed `counter` to {near_top} while the threads counted, so their programs stopped \
             with an overflow error (EvalError::Overflow), but `count_in_threads` returned another error: \
             {other}. Return the error a thread's program stopped with, as it is."
        ),
        Ok(result) if pushes == 0 => panic!(
            "`count_in_threads(.., 2, {per_thread}, false)` returned Ok({} of {}) before the counter ever rose \
             above 0: the threads never counted",
            result.counted, result.expected
        ),
        Ok(result) => panic!(
            "the check pushed `counter` to {near_top} while the threads counted, so their programs stopped \
             with an overflow error (the model's OverflowError), but `count_in_threads` returned Ok({} of {}). \
             What a thread's program returns must come back: its error as this function's `Err`, once every \
             thread has been joined.",
            result.counted, result.expected
        ),
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

/// How many Python threads of `log` ran on each of `interps`, in their order.
fn threads_per_interpreter(log: &TraceLog, interps: &[Interpreter]) -> Vec<usize> {
    interps
        .iter()
        .map(|interp| log.threads.iter().filter(|t| t.interpreter == interp.id()).count())
        .collect()
}

/// The longest time two different threads of `log` were both in a blocking call (for
/// the counter programs: both waiting for `lock`).
fn longest_shared_wait(log: &TraceLog) -> Duration {
    let calls = log.blocking_calls();
    let mut longest = 0u64;
    for (i, a) in calls.iter().enumerate() {
        for b in calls.iter().skip(i + 1).filter(|b| b.thread != a.thread) {
            let start = a.start_ns.max(b.start_ns);
            let end = a.end_ns.min(b.end_ns);
            longest = longest.max(end.saturating_sub(start));
        }
    }
    Duration::from_nanos(longest)
}

/// The text of a panic's payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
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
