//! Checks for exercise 08. They are compiled against your crate and against the
//! reference solution; do not edit them.
//!
//! Most checks run on an event loop whose clock is paused (`Clock::Paused`): time
//! stands still while a task runs and jumps to the next timer when every task waits, so
//! what they see (who started and finished when, in virtual milliseconds) is the same
//! on every machine, however busy. The checks on the real clock say which they are.
//!
//! Every call into your code runs on a helper thread and is waited for at most
//! `LIMIT`: a loop that never ends fails the check with a message instead of hanging it.

use std::cell::Cell;
use std::thread;
use std::time::Duration;

use asyncio_and_tokio::{
    Clock, EventLog, InFlight, LOOKUP_TAKES, SLOW_ANSWER, STALL_THRESHOLD, StallDetector,
    TASK_WAIT, WORKER_STEPS, WorkerEnded, cancel_after, fetch, fetch_on_the_loop, gather_sleeps,
    lookups_in_flight, notes_main, record, run, with_deadline,
};
use tokio::runtime::{Handle, RuntimeFlavor};
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep};

/// How long one call into your code may take.
const LIMIT: Duration = Duration::from_secs(20);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Milliseconds, for messages.
fn in_ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

// ---------------------------------------------------------------------------
// The event loop.
// ---------------------------------------------------------------------------

#[test]
fn run_drives_every_task_on_the_calling_thread() {
    let (caller, flavor, seen) = within("`run`", || {
        let caller = thread::current().id();
        run(Clock::Real, async move {
            let flavor = Handle::try_current().map(|h| h.runtime_flavor()).ok();
            let mut tasks = JoinSet::new();
            for _ in 0..8 {
                tasks.spawn(async {
                    tokio::task::yield_now().await;
                    thread::current().id()
                });
            }
            (caller, flavor, tasks.join_all().await)
        })
    });
    assert!(
        flavor == Some(RuntimeFlavor::CurrentThread),
        "`run` ran the future on a {flavor:?} tokio runtime; expected CurrentThread. asyncio's event loop \
         is one thread: build the runtime with `tokio::runtime::Builder::new_current_thread()`."
    );
    let elsewhere = seen.iter().filter(|id| **id != caller).count();
    assert_eq!(
        elsewhere, 0,
        "{elsewhere} of 8 spawned tasks ran on a thread other than the one that called `run`; on a \
         one-thread event loop every task runs on the thread that called `block_on`"
    );
}

#[test]
fn a_paused_clock_jumps_to_the_next_timer() {
    // One virtual hour, on the paused clock: it must take no real time at all.
    let real = std::time::Instant::now();
    let waited = within("`run(Clock::Paused, ..)`", || {
        run(Clock::Paused, async {
            let start = Instant::now();
            sleep(secs(3600)).await;
            start.elapsed()
        })
    });
    let real = real.elapsed();
    assert!(
        waited >= secs(3600) && real < secs(10),
        "`run(Clock::Paused, ..)`: a sleep of one hour took {:.1} s on tokio's clock and {:.1} s of real \
         time; expected at least 3600 s on tokio's clock and almost no real time. Pause the clock with \
         `Builder::start_paused(true)` (it needs `enable_time()` or `enable_all()`).",
        waited.as_secs_f64(),
        real.as_secs_f64()
    );

    // And the real clock is real.
    let real = std::time::Instant::now();
    let waited = within("`run(Clock::Real, ..)`", || {
        run(Clock::Real, async {
            let start = Instant::now();
            sleep(ms(50)).await;
            start.elapsed()
        })
    });
    let real = real.elapsed();
    assert!(
        real >= ms(50) && waited >= ms(50),
        "`run(Clock::Real, ..)`: a sleep of 50 ms took {} of real time ({} on tokio's clock); expected at \
         least 50 ms of both. Pause the clock only for `Clock::Paused`.",
        in_ms(real),
        in_ms(waited)
    );
}

// ---------------------------------------------------------------------------
// The notes' example.
// ---------------------------------------------------------------------------

#[test]
fn the_notes_example_waits_once_not_twice() {
    let entries = within("`notes_main`", || {
        run(Clock::Paused, async {
            let log = EventLog::start();
            notes_main(&log).await;
            log.entries()
        })
    });
    let at = |line: &str| entries.iter().find(|(_, l)| l == line).map(|(t, _)| *t);
    let shown = EventLog::format(&entries).join("\n");
    if let (Some(second_starts), Some(first_ends)) = (at("Starting Task-2"), at("Finished Task-1"))
    {
        assert!(
            second_starts < first_ends,
            "the tasks ran one after the other: Task-2 started at {}, when Task-1 had finished. The log \
             says\n{shown}\n`.await` on each task in turn waits for the first before starting the second; \
             `tokio::join!(a, b)`, the counterpart of `asyncio.gather`, polls both, so both wait at once.",
            in_ms(second_starts)
        );
    }
    for name in ["Task-1", "Task-2"] {
        assert!(
            at(&format!("Starting {name}")) == Some(Duration::ZERO),
            "the log should say `Starting {name}` at 0 ms; it says\n{shown}\nLook at `task` (say \
             `Starting {{name}}` first) and at `notes_main` (start both tasks together with `tokio::join!`, \
             the counterpart of `asyncio.gather`)."
        );
        assert!(
            at(&format!("Finished {name}")) == Some(TASK_WAIT),
            "the log should say `Finished {name}` at 2000 ms (both tasks wait their 2 s at the same time); \
             it says\n{shown}\nLook at `task`: it waits `wait` with `sleep(wait).await` between its two lines."
        );
    }
    assert_eq!(
        entries.len(),
        4,
        "the log should have 4 lines (a Starting and a Finished per task); it says\n{shown}"
    );
    // Which of two tasks woken at the same instant runs first is the runtime's choice
    // (tokio's `join!` even rotates it, for fairness), so lines that share a millisecond
    // are shown sorted by their text.
    let mut sorted = entries.clone();
    sorted.sort();
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => "run(Clock::Paused, notes_main): virtual ms and line; lines of the same ms sorted by text",
    }, {
        insta::assert_snapshot!("notes_example", EventLog::format(&sorted).join("\n"));
    });
}

// ---------------------------------------------------------------------------
// gather of many tasks.
// ---------------------------------------------------------------------------

#[test]
fn ten_thousand_waits_take_one_wait_not_ten_thousand() {
    const TASKS: usize = 10_000;
    let (done, took, peak) = within("`gather_sleeps`", || {
        run(Clock::Paused, async {
            let in_flight = InFlight::new();
            let start = Instant::now();
            let done = gather_sleeps(TASKS, secs(1), &in_flight).await;
            (done, start.elapsed(), in_flight.peak())
        })
    });
    // In the order the tasks finished, which is the runtime's business: any order will do.
    let mut indexes = done.clone();
    indexes.sort_unstable();
    let expected: Vec<usize> = (0..TASKS).collect();
    assert!(
        indexes == expected,
        "`gather_sleeps({TASKS}, 1 s, ..)` returned {} values ({:?}...); expected every index 0..{TASKS} \
         once, in any order: task i returns i",
        done.len(),
        &done[..done.len().min(5)]
    );
    timing::report!(
        "{TASKS} waits of 1 s took {} of virtual time, {peak} under way at once; results \
         in {}",
        in_ms(took),
        if done == indexes {
            "the order of spawning"
        } else {
            "another order than spawning"
        }
    );
    assert!(
        took >= secs(1) && took < ms(1100),
        "{TASKS} waits of 1 s took {:.1} s on the event loop's (paused) clock; expected about one wait, \
         1 s. Waits in turn take one second each: spawn every task into a `JoinSet` first, then wait for \
         them all.",
        took.as_secs_f64()
    );
    assert_eq!(
        peak, TASKS,
        "at most {peak} of the {TASKS} waits were under way at once; expected all of them. Each task \
         should hold `let _waiting = in_flight.enter();` across its `sleep(wait).await`."
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn a_thousand_real_waits_take_about_one_wait() {
    const TASKS: usize = 1_000;
    const WAIT: Duration = Duration::from_millis(100);
    let in_flight = InFlight::new();
    let done = Cell::new(0);
    // ANCHOR: gather_timing
    timing::compare("1,000 waits of 100 ms gathered vs 10 waits in turn")
        .baseline("10 waits in turn", || {
            within("`run(Clock::Real, ..)`", || {
                run(Clock::Real, async {
                    for _ in 0..10 {
                        sleep(WAIT).await;
                    }
                })
            })
        })
        .candidate("1,000 gathered", || {
            in_flight.reset_peak();
            let counter = in_flight.clone();
            let what = "`gather_sleeps(1000, 100 ms, ..)`, which should take about 100 ms (1,000 waits in \
                        turn take 100 s)";
            let results = within(what, move || {
                run(Clock::Real, async move { gather_sleeps(TASKS, WAIT, &counter).await })
            });
            done.set(results.len());
        })
        .structure(|_| {
            let peak = in_flight.peak();
            if done.get() != TASKS || peak < TASKS {
                return Err(format!(
                    "{} of {TASKS} tasks returned, at most {peak} waiting at once; expected all {TASKS} \
                     waiting at the same time",
                    done.get()
                ));
            }
            Ok(format!("{peak} tasks waiting at once"))
        })
        // Measured on the course's 2-core machine: 9.2x to 9.8x. 1,000 waits that take at
        // most twice one wait are 5 times faster than 10 in turn.
        .expect_candidate_faster(5.0)
        .runs(3)
        .hint(
            "Look at `gather_sleeps`: spawn every task before waiting for any, and let each one wait \
             with `tokio::time::sleep`, never `std::thread::sleep`.",
        )
        .check();
    // ANCHOR_END: gather_timing
}

// ---------------------------------------------------------------------------
// The blocking-call mistake.
// ---------------------------------------------------------------------------

/// Runs `fetch(0..4)` as four tasks named `fetch-0`..`fetch-3`, beside a heartbeat, on a
/// one-thread loop on the real clock, all watched by a stall detector.
fn fetch_four_watched() -> (Vec<u64>, StallDetector) {
    within("`fetch`", || {
        let detector = StallDetector::new(STALL_THRESHOLD);
        let watching = detector.clone();
        let records = run(Clock::Real, async move {
            let heartbeat = tokio::spawn(watching.watch("heartbeat", watching.heartbeat(ms(10))));
            let handles: Vec<_> = (0..4)
                .map(|n| tokio::spawn(watching.watch(format!("fetch-{n}"), fetch(n))))
                .collect();
            let mut records = Vec::new();
            for handle in handles {
                match handle.await {
                    Ok(record) => records.push(record),
                    Err(error) => std::panic::resume_unwind(error.into_panic()),
                }
            }
            // One more beat, so that the heartbeat sees how late the loop came back.
            sleep(ms(20)).await;
            heartbeat.abort();
            records
        });
        (records, detector)
    })
}

// timed: it asserts on wall-clock or CPU time
#[test]
fn fetch_keeps_the_event_loop_free() {
    // A poll can look long because the operating system paused this process, never
    // because it ran short: a stall must show in each of 3 runs to count.
    let mut runs = Vec::new();
    for _ in 0..3 {
        let (records, detector) = fetch_four_watched();
        let expected: Vec<u64> = (0..4).map(record).collect();
        assert!(
            records == expected,
            "`fetch(n)` for n in 0..4 returned {records:?}; expected {expected:?}, the records \
             `lookup_blocking(n)` gives"
        );
        let stalls = detector.stalls();
        let (late, beats) = detector.heartbeat_lateness();
        timing::report!(
            "longest poll {} ({}), heartbeat every 10 ms up to {} late over {beats} beats",
            in_ms(
                detector
                    .polls()
                    .iter()
                    .map(|p| p.len())
                    .max()
                    .unwrap_or_default()
            ),
            stalls
                .first()
                .map_or("no stall".to_string(), |s| format!("stall: {s}")),
            in_ms(late)
        );
        if stalls.is_empty() {
            return;
        }
        runs.push((stalls, late));
    }
    let (stalls, late) = runs
        .into_iter()
        .min_by_key(|(stalls, _)| stalls[0].length)
        .expect("three runs were made");
    let others = if stalls.len() > 1 {
        format!(
            " ({} polls over {} in all)",
            stalls.len(),
            in_ms(STALL_THRESHOLD)
        )
    } else {
        String::new()
    };
    panic!(
        "{} (std::thread::sleep or CPU work inside an async task?): move it to spawn_blocking. \
         Seen in 3 runs of 3{others}; meanwhile a heartbeat task due every 10 ms came back up to {} late: \
         no other task could run. `lookup_blocking` blocks its thread for {}, and on a one-thread loop \
         that thread is the loop's. Look at `fetch`: `tokio::task::spawn_blocking(move || \
         lookup_blocking(n)).await` runs it on tokio's blocking pool instead.",
        stalls[0],
        in_ms(late),
        in_ms(LOOKUP_TAKES),
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn blocking_lookups_overlap_on_the_blocking_pool() {
    let lookups = lookups_in_flight();
    let four = |on_the_loop: bool| {
        within("`fetch`", move || {
            run(Clock::Real, async move {
                let handles: Vec<_> = (0..4)
                    .map(|n| {
                        tokio::spawn(async move {
                            if on_the_loop {
                                fetch_on_the_loop(n).await
                            } else {
                                fetch(n).await
                            }
                        })
                    })
                    .collect();
                let mut records = Vec::new();
                for handle in handles {
                    records.push(handle.await.ok());
                }
                records
            })
        })
    };
    timing::compare("4 blocking lookups of 200 ms: fetch vs the lookup on the loop")
        .baseline("on the loop", || four(true))
        .candidate("fetch", || {
            lookups.reset_peak();
            four(false)
        })
        .structure(|_| {
            let peak = lookups.peak();
            if peak < 4 {
                return Err(format!(
                    "the most lookups under way at once was {peak} of 4, expected all 4"
                ));
            }
            Ok(format!("{peak} lookups under way at once"))
        })
        // Measured on the course's 2-core machine: 3.9x to 4.0x (four sleeping lookups on
        // four threads of the blocking pool need no free core).
        .expect_candidate_faster(2.5)
        .runs(3)
        .hint(
            "Look at `fetch`: on the loop, one lookup at a time blocks the only thread; \
             `tokio::task::spawn_blocking` gives each lookup a thread of its own.",
        )
        .check();
}

// ---------------------------------------------------------------------------
// Timeouts and cancellation.
// ---------------------------------------------------------------------------

// timed: it asserts on wall-clock or CPU time
#[test]
fn a_slow_operation_times_out_at_its_deadline() {
    let (answer, took, log) = within("`with_deadline`", || {
        run(Clock::Paused, async {
            let log = EventLog::start();
            let start = Instant::now();
            let answer = with_deadline(secs(1), &log).await;
            let took = start.elapsed();
            // Give a wrongly detached operation time to finish, to see it in the log.
            sleep(secs(10)).await;
            (answer, took, log.entries())
        })
    });
    let shown = EventLog::format(&log).join("\n");
    assert!(
        answer.is_none() && took == secs(1),
        "`with_deadline(1 s, ..)` on a 5 s operation returned {answer:?} after {} (virtual); expected None \
         at the deadline, 1000 ms. Log:\n{shown}\nLook at `with_deadline`: `tokio::time::timeout(limit, \
         slow_operation(log)).await` is Err(Elapsed) when the limit runs out.",
        in_ms(took)
    );
    assert!(
        !log.iter().any(|(_, line)| line == "slow operation: done")
            && log.contains(&(secs(1), "slow operation: cleanup ran".to_string())),
        "after the deadline the slow operation should be dropped at 1000 ms (its cleanup runs) and never \
         finish; the log says\n{shown}\nA future that is dropped stops where it was waiting."
    );
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => "run(Clock::Paused, with_deadline(1 s)), then 10 s more: virtual ms and line",
    }, {
        insta::assert_snapshot!("timeout_log", shown);
    });

    let (answer, took) = within("`with_deadline`", || {
        run(Clock::Paused, async {
            let log = EventLog::start();
            let start = Instant::now();
            (with_deadline(secs(10), &log).await, start.elapsed())
        })
    });
    assert!(
        answer == Some(SLOW_ANSWER) && took == secs(5),
        "`with_deadline(10 s, ..)` on a 5 s operation returned {answer:?} after {} (virtual); expected \
         Some({SLOW_ANSWER}) after 5000 ms: a deadline that does not run out changes nothing",
        in_ms(took)
    );
}

#[test]
fn a_cancelled_task_stops_and_runs_its_cleanup() {
    let (ended, took, log) = within("`cancel_after`", || {
        run(Clock::Paused, async {
            let log = EventLog::start();
            let start = Instant::now();
            let ended = cancel_after(ms(2500), &log).await;
            let took = start.elapsed();
            // Long enough for a worker that was not really cancelled to finish.
            sleep(secs(20)).await;
            (ended, took, log.entries())
        })
    });
    let shown = EventLog::format(&log).join("\n");
    let steps_after = log
        .iter()
        .filter(|(at, line)| *at > ms(2500) && line.starts_with("worker:"))
        .count();
    assert!(
        steps_after == 0,
        "the worker kept going after it was cancelled at 2500 ms: the log says\n{shown}\nDropping a \
         `JoinHandle` does not cancel its task, it only lets it run unwatched. Call `handle.abort()` and \
         then await the handle (or race the worker against the sleep with `tokio::select!`, which drops \
         the loser)."
    );
    assert!(
        log.contains(&(ms(2500), "worker: cleanup ran".to_string())),
        "a cancelled task is dropped, and what it owns is dropped with it: the worker's cleanup should run \
         at 2500 ms. The log says\n{shown}\nAwait the handle after `abort()`: the cancellation is done once \
         it returns."
    );
    assert!(
        ended == WorkerEnded::Cancelled && took == ms(2500),
        "`cancel_after(2500 ms, ..)` returned {ended:?} after {} (virtual); expected WorkerEnded::Cancelled \
         at 2500 ms. An aborted task's handle returns a `JoinError` whose `is_cancelled()` is true. The \
         worker would take {WORKER_STEPS} s.",
        in_ms(took)
    );
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => "run(Clock::Paused, cancel_after(2500 ms)), then 20 s more: virtual ms and line",
    }, {
        insta::assert_snapshot!("cancel_log", shown);
    });
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
            "{what} had not returned after {} s: a task that never finishes, or a loop that never \
             yields, is the usual cause",
            LIMIT.as_secs()
        ),
    }
}
