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

use std::cell::RefCell;
use std::collections::HashMap;
use std::thread;
use std::time::Duration;

use asyncio_and_tokio::{
    Clock, EventLog, InFlight, LOOKUP_TAKES, SLOW_ANSWER, STALL_THRESHOLD, StallDetector,
    TASK_WAIT, WORKER_STEPS, WorkerEnded, cancel_after, fetch, gather_lookups, lookup_blocking,
    lookup_wait, lookups_in_flight, notes_main, record, run, with_deadline,
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
// step event-loop: `run` (event_loop.rs), a one-thread event loop on a real or paused clock
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
    let kind = match flavor {
        Some(RuntimeFlavor::CurrentThread) => "the current-thread runtime",
        Some(RuntimeFlavor::MultiThread) => "tokio's multi-thread runtime (a worker thread per core)",
        Some(_) => "a tokio runtime of another kind",
        None => "no tokio runtime at all",
    };
    assert!(
        flavor == Some(RuntimeFlavor::CurrentThread),
        "`run` ran the future on {kind}; expected the current-thread runtime, which runs every task on the \
         thread that called `run`. asyncio's event loop is one thread: read \"The event loop\" on page 08 \
         (`tokio::runtime::Builder`)."
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
    let waited = within_because(
        "`run(Clock::Paused, ..)` of a future that sleeps one hour on tokio's clock",
        "candidates: a clock that is not paused for `Clock::Paused` (the sleep then takes an hour \
         of real time: `Builder::start_paused`); a task that never finishes, or a loop that never \
         yields",
        || {
            run(Clock::Paused, async {
                let start = Instant::now();
                sleep(secs(3600)).await;
                start.elapsed()
            })
        },
    );
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
// step notes: `task` and `notes_main` (notes.rs), the notes' example
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
// step gather: `gather_lookups` (gather.rs), asyncio's gather of thousands of lookups
// ---------------------------------------------------------------------------

/// `count` ids in a scrambled order, with a repeat, so that records put back in the
/// wait's order or a hard-coded answer show.
fn scrambled_ids(count: usize, seed: u64) -> Vec<u64> {
    let mut state = seed | 1;
    let mut ids: Vec<u64> = (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % 1_000_000
        })
        .collect();
    if count >= 2 {
        ids[1] = ids[0];
    }
    ids
}

/// Fails, in words, unless `got` holds the record of `ids[i]` at every `i`. When the
/// records are all there but out of place, it says whether they came in the order the
/// lookups finished.
fn assert_in_order_asked(who: &str, ids: &[u64], wait: Duration, got: &[u64]) {
    let expected: Vec<u64> = ids.iter().map(|&id| record(id)).collect();
    if got == expected {
        return;
    }
    assert!(
        got.len() == ids.len(),
        "{who} returned {} records for {} ids; expected one record per id, in the order of the ids",
        got.len(),
        ids.len()
    );
    let mut sorted_got = got.to_vec();
    let mut sorted_expected = expected.clone();
    sorted_got.sort_unstable();
    sorted_expected.sort_unstable();
    let at = got
        .iter()
        .zip(&expected)
        .position(|(g, e)| g != e)
        .unwrap_or_default();
    if sorted_got != sorted_expected {
        panic!(
            "{who}: result {at} is {}, but the record of ids[{at}] = {} is {}; and some records are not the \
             record of any id asked. Each result must be what `lookup(id, ..)` returned for that id.",
            got[at], ids[at], expected[at]
        );
    }
    // Every record is there, out of place. In the order the lookups finished?
    let id_of: HashMap<u64, u64> = ids.iter().map(|&id| (record(id), id)).collect();
    let waits: Vec<Duration> = got.iter().map(|r| lookup_wait(id_of[r], wait)).collect();
    let in_wait_order = waits
        .windows(2)
        .filter(|w| w[0] <= w[1] + Duration::from_millis(1))
        .count();
    let finished_order = in_wait_order * 10 >= waits.len().saturating_sub(1) * 9;
    let which = if finished_order {
        "in the order they finished (the shortest waits first)"
    } else {
        "in another order than asked"
    };
    panic!(
        "{who} returned every record, but {which}: result {at} is the record of id {}, where ids[{at}] is {}. \
         asyncio's gather returns its results in the order of its arguments, however the tasks finish: \
         result i must be the record of ids[i].",
        id_of[&got[at]], ids[at]
    );
}

#[test]
fn ten_thousand_lookups_take_one_wait_not_ten_thousand() {
    const TASKS: usize = 10_000;
    let ids = scrambled_ids(TASKS, 0x2545_F491_4F6C_DD1D);
    let longest = ids.iter().map(|&id| lookup_wait(id, secs(1))).max().unwrap_or_default();
    let asked = ids.clone();
    let (got, took, peak) = within("`gather_lookups`", move || {
        run(Clock::Paused, async move {
            let in_flight = InFlight::new();
            let start = Instant::now();
            let got = gather_lookups(&asked, secs(1), &in_flight).await;
            (got, start.elapsed(), in_flight.peak())
        })
    });
    timing::report!(
        "{TASKS} lookups of 0.5 to 1 s took {} of virtual time, {peak} under way at once",
        in_ms(took)
    );
    assert_in_order_asked(
        &format!("`gather_lookups` of {TASKS} ids"),
        &ids,
        secs(1),
        &got,
    );
    assert!(
        took >= longest && took < longest + ms(100),
        "{TASKS} lookups, the longest of {}, took {:.1} s on the event loop's (paused) clock; expected about \
         the longest one. Lookups awaited in turn take the sum of their waits: start every one as a task \
         before awaiting any.",
        in_ms(longest),
        took.as_secs_f64()
    );
    assert_eq!(
        peak, TASKS,
        "at most {peak} of the {TASKS} lookups were under way at once; expected all of them: start every \
         lookup before awaiting the first"
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn a_thousand_real_lookups_take_about_one_wait() {
    const TASKS: usize = 1_000;
    const WAIT: Duration = Duration::from_millis(40);
    let ids = scrambled_ids(TASKS, 0x9E37_79B9_7F4A_7C15);
    let in_flight = InFlight::new();
    // First, once: the right records, in the order asked, on the real clock.
    let (asked, counter) = (ids.clone(), in_flight.clone());
    let got = within_because(
        "`gather_lookups` on the real clock, which should take about 40 ms",
        "candidates: lookups awaited one after another (1,000 lookups of up to 40 ms then take \
         about 30 s: the check `ten_thousand_lookups_take_one_wait_not_ten_thousand` says more); a \
         task that never finishes",
        move || run(Clock::Real, async move { gather_lookups(&asked, WAIT, &counter).await }),
    );
    assert_in_order_asked("`gather_lookups` on the real clock", &ids, WAIT, &got);
    // Then the clock: a thousand lookups of at most 40 ms against 5 waits of 40 ms in turn.
    let correct = RefCell::new(true);
    timing::compare("1,000 lookups of 20-40 ms gathered vs 5 waits of 40 ms in turn")
        .baseline("5 waits in turn", || {
            within("`run(Clock::Real, ..)`", || {
                run(Clock::Real, async {
                    for _ in 0..5 {
                        sleep(WAIT).await;
                    }
                })
            })
        })
        .candidate("1,000 gathered", || {
            in_flight.reset_peak();
            let (asked, counter) = (ids.clone(), in_flight.clone());
            let what = "`gather_lookups` of 1,000 ids, which should take about 40 ms (in turn: 30 s)";
            let got = within(what, move || {
                run(Clock::Real, async move { gather_lookups(&asked, WAIT, &counter).await })
            });
            *correct.borrow_mut() = got.len() == TASKS;
        })
        .structure(|_| {
            let peak = in_flight.peak();
            if !*correct.borrow() || peak < TASKS {
                return Err(format!(
                    "at most {peak} of {TASKS} lookups were under way at once; expected all {TASKS} at the \
                     same time"
                ));
            }
            Ok(format!("{peak} lookups under way at once"))
        })
        // Measured on the course's 2-core machine: about 4x (debug build). 1,000 lookups
        // that take 1.6 waits are 2.5 times faster than 5 in turn; in turn they take 30 s.
        .expect_candidate_faster(2.5)
        .runs(3)
        .hint(
            "Look at `gather_lookups`: start every lookup as a task before awaiting any of them.",
        )
        .check();
}

// ---------------------------------------------------------------------------
// step fetch: `fetch` (fetch.rs), a blocking call kept off the event loop
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
    // The loop was held if a watched poll was long, or if the heartbeat came back late
    // (a task the detector does not watch held it). A busy machine can pause this process
    // and make either look long, never short: the loop counts as held only if it was held
    // in each of 3 runs, and the verdict of each run is in its report line.
    let mut runs = Vec::new();
    for run_number in 1..=3 {
        let (records, detector) = fetch_four_watched();
        let expected: Vec<u64> = (0..4).map(record).collect();
        assert!(
            records == expected,
            "`fetch(n)` for n in 0..4 returned {records:?}; expected {expected:?}, the records \
             `lookup_blocking(n)` gives"
        );
        let stalls = detector.stalls();
        let (late, beats) = detector.heartbeat_lateness();
        let longest = detector
            .polls()
            .iter()
            .filter(|p| p.task != "heartbeat")
            .map(|p| p.len())
            .max()
            .unwrap_or_default();
        let held = !stalls.is_empty() || late > STALL_THRESHOLD;
        timing::report!(
            "run {run_number}: longest poll of a fetch task {}, heartbeat due every 10 ms up to {} late over \
             {beats} beats: {}",
            in_ms(longest),
            in_ms(late),
            if held {
                "the loop was held"
            } else {
                "the loop stayed free"
            }
        );
        if !held {
            return;
        }
        runs.push((stalls, late));
    }
    let (stalls, late) = runs
        .into_iter()
        .min_by_key(|(stalls, late)| stalls.first().map_or(*late, |s| s.length))
        .expect("three runs were made");
    if let Some(stall) = stalls.first() {
        let others = if stalls.len() > 1 {
            format!(" ({} polls over {} in all)", stalls.len(), in_ms(STALL_THRESHOLD))
        } else {
            String::new()
        };
        panic!(
            "{stall}, in each of 3 runs{others}: a fetch task's poll blocked the loop's only thread. \
             Meanwhile a heartbeat task due every 10 ms came back up to {} late: no other task could run. \
             `lookup_blocking` blocks its thread for {}. Candidates: the lookup called inside the async fn \
             (`lookup_blocking` itself, or `std::thread::sleep`); the lookup moved to another thread but \
             waited for with a blocking call inside the poll (`JoinHandle::join`, `Receiver::recv`). Look \
             at `fetch`: run the lookup on another thread and `.await` its answer (tokio's \
             `spawn_blocking`).",
            in_ms(late),
            in_ms(LOOKUP_TAKES),
        );
    }
    panic!(
        "a heartbeat task due every 10 ms came back up to {} late, in each of 3 runs, although no poll of the \
         fetch tasks took longer than {}: something else held the loop's only thread. Candidates: a task that \
         `fetch` started on the loop itself (a `tokio::spawn`ed task runs on the same one thread, so a \
         blocking call inside it stalls the loop just the same); a blocking call made outside the fetch \
         tasks' polls. Look at `fetch`: the lookup must run on another thread (tokio's `spawn_blocking`).",
        in_ms(late),
        in_ms(STALL_THRESHOLD),
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn blocking_lookups_overlap_on_the_blocking_pool() {
    let lookups = lookups_in_flight();
    timing::compare("4 fetches at once vs 2 blocking lookups one after another")
        .baseline("2 lookups in turn", || (lookup_blocking(0), lookup_blocking(1)))
        .candidate("4 fetches at once", || {
            lookups.reset_peak();
            within("`fetch`", move || {
                run(Clock::Real, async move {
                    let handles: Vec<_> = (0..4).map(|n| tokio::spawn(fetch(n))).collect();
                    let mut records = Vec::new();
                    for handle in handles {
                        // A panic in `fetch` (a `todo!()`) is the check's failure, before any
                        // timing is reported.
                        match handle.await {
                            Ok(record) => records.push(record),
                            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                            Err(e) => panic!("a fetch task ended without its record: {e}"),
                        }
                    }
                    records
                })
            })
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
        // Four lookups on four threads take about one lookup: 2x against two in turn
        // (measured on the course's 2-core machine: 1.99x). One at a time gives 0.5x, two
        // at a time 1.0x.
        .expect_candidate_faster(1.4)
        .runs(3)
        .hint(
            "Look at `fetch`: four lookups made one at a time take four times one lookup. Each lookup \
             needs a thread of its own while it blocks, not the loop's (tokio's `spawn_blocking`).",
        )
        .check();
}

// ---------------------------------------------------------------------------
// step deadline: `with_deadline` (cancel.rs), asyncio's wait_for
// ---------------------------------------------------------------------------

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
         at the deadline, 1000 ms. Log:\n{shown}\nLook at `with_deadline`: the deadline must end the wait \
         (tokio's `timeout`).",
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

// ---------------------------------------------------------------------------
// step cancel: `cancel_after` (cancel.rs), asyncio's task.cancel()
// ---------------------------------------------------------------------------

#[test]
fn a_cancelled_task_stops_and_runs_its_cleanup() {
    let (ended, took, at_return, log) = within("`cancel_after`", || {
        run(Clock::Paused, async {
            let log = EventLog::start();
            let start = Instant::now();
            let ended = cancel_after(ms(2500), &log).await;
            // What the log held the moment `cancel_after` returned, before anything else ran.
            let at_return = log.entries();
            let took = start.elapsed();
            // Long enough for a worker that was not really cancelled to finish.
            sleep(secs(20)).await;
            (ended, took, at_return, log.entries())
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
         `JoinHandle` does not cancel its task, it only lets it run unwatched. Cancel the task through \
         its handle, then wait for it to end."
    );
    let cleaned = |entries: &[(Duration, String)]| {
        entries.iter().any(|(_, line)| line == "worker: cleanup ran")
    };
    assert!(
        cleaned(&at_return),
        "`cancel_after(2500 ms, ..)` returned {ended:?}, but the worker had not ended yet: when it returned, \
         the log said\n{}\nand the worker's cleanup ran only afterwards. `abort()` only asks for the \
         cancellation; the task ends the next time the runtime gets to it. Await the handle after \
         aborting: it returns once the task is gone, and says how it ended.",
        EventLog::format(&at_return).join("\n")
    );
    assert!(
        log.contains(&(ms(2500), "worker: cleanup ran".to_string())),
        "a cancelled task is dropped, and what it owns is dropped with it: the worker's cleanup should run \
         at 2500 ms. The log says\n{shown}"
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

#[test]
fn a_worker_that_ends_before_the_cancellation_is_finished() {
    let (ended, took, log) = within("`cancel_after`", || {
        run(Clock::Paused, async {
            let log = EventLog::start();
            let start = Instant::now();
            let ended = cancel_after(secs(15), &log).await;
            (ended, start.elapsed(), log.entries())
        })
    });
    let shown = EventLog::format(&log).join("\n");
    assert!(
        ended == WorkerEnded::Finished(WORKER_STEPS) && took == secs(15),
        "`cancel_after(15 s, ..)` on a worker of {WORKER_STEPS} steps of 1 s returned {ended:?} after {} \
         (virtual); expected WorkerEnded::Finished({WORKER_STEPS}) at 15000 ms: the worker ended on its \
         own at 10000 ms, so cancelling it at 15 s changes nothing, and its handle says how it ended (with \
         the steps it returned). The log says\n{shown}",
        in_ms(took)
    );
    assert!(
        log.contains(&(secs(10), "worker: finished every step".to_string())),
        "the worker should finish every step at 10000 ms; the log says\n{shown}"
    );
}

// ---------------------------------------------------------------------------
// Bounded calls.
// ---------------------------------------------------------------------------

/// Runs `work` on a helper thread and waits at most `LIMIT` for it; fails, naming `what`,
/// when it does not return. A panic inside `work`, such as a `todo!()`, is passed on.
fn within<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    within_because(
        what,
        "a task that never finishes, or a loop that never yields, is the usual cause",
        work,
    )
}

/// As [`within`], with the likely causes of a call that does not return named.
fn within_because<T: Send + 'static>(
    what: &str,
    causes: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    match timing::bounded(LIMIT, work) {
        Ok(value) => value,
        Err(timing::StillRunning) => {
            panic!("{what} had not returned after {} s: {causes}", LIMIT.as_secs())
        }
    }
}
