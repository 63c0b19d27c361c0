//! Checks for exercise 11. They are compiled against your crate and against the
//! reference solution; do not edit them.
//!
//! Every call that may block runs on a thread of its own, and the check waits for it
//! with a bound: a version that never wakes up fails with a message instead of hanging.
//! The checks that say "sleeps" watch the waiting threads through the kernel
//! (`timing::blocked_waiting`: their wake-ups, their share of a core, their scheduler
//! state) beside a thread that waits on a `Condvar` in the same run, so neither a busy
//! loop nor a poll passes, however fast or slow the machine. The race checks turn on
//! `widen_races`: every `Shared::lock` pauses first, so a gap between two locks in your
//! code opens every time instead of once in a million.

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use semaphores_and_conditions::{
    Barrier, BoundedQueue, Event, Semaphore, download_all, fetch, widen_races,
};
use timing::blocked_waiting;

/// How long a check waits for threads that should finish on their own.
const LIMIT: Duration = Duration::from_secs(20);

/// How long a woken thread may take to return. A wake-up takes microseconds; the margin
/// is for a machine so busy that a thread waits for a core.
const WAKE: Duration = Duration::from_secs(5);

/// How long a check waits for threads to fall asleep before it looks whether any of
/// them returned; on an idle machine they are asleep within a millisecond.
const SETTLE: Duration = Duration::from_millis(150);

/// How long the "sleeps" checks watch the waiting threads, and then the baseline.
const WATCH: Duration = Duration::from_millis(100);

/// How many threads the "sleeps" checks block.
const BLOCKERS: usize = 4;

/// How long a check waits for a page to start once a permit came back.
const PATIENCE: Duration = Duration::from_secs(2);

// step semaphore: `Semaphore` and its `Permit`: acquire, try_acquire, acquire_timeout, available, drop

#[test]
fn semaphore_lets_at_most_k_threads_in_at_once_and_reaches_k() {
    let threads = 12;
    let rounds = 20;
    // Every `Shared::lock` pauses first: a look at the count and a take under two locks
    // let other threads through the gap every round.
    widen_races(true);
    for k in [1, 3] {
        let semaphore = Arc::new(Semaphore::new(k));
        let gauge = Arc::new(Gauge::default());
        let mut crew = Crew::start("worker", threads, {
            let (semaphore, gauge) = (Arc::clone(&semaphore), Arc::clone(&gauge));
            move |_| {
                for _ in 0..rounds {
                    let _permit = semaphore.acquire();
                    let _inside = gauge.enter();
                    thread::sleep(Duration::from_micros(200));
                }
            }
        });
        let finished = crew.wait_for_all(LIMIT);
        if let Some((i, message)) = crew.first_panic() {
            panic!(
                "worker {i} of {threads} sharing `Semaphore::new({k})` panicked in `acquire` or in \
                 dropping its permit: \"{message}\". If that is the count of free permits going \
                 below 0, two threads took the same last permit: do the look at the count and the \
                 take of the permit under one lock."
            );
        }
        assert!(
            finished == threads,
            "with `Semaphore::new({k})` and {threads} threads taking and dropping permits, {} of \
             them were still in `acquire` after {} s. Does dropping a `Permit` give it back and \
             wake a sleeper (`notify_one`)?",
            threads - finished,
            LIMIT.as_secs()
        );
        let peak = gauge.peak();
        timing::report!(
            "Semaphore::new({k}), {threads} threads x {rounds} permits each, every lock pausing \
             first: the most permits held at once: {peak}"
        );
        assert!(
            peak <= k,
            "{peak} threads held a permit at once from `Semaphore::new({k})`, with {threads} \
             threads asking. The candidates: `acquire` does not sleep while no permit is free; or \
             it looks at the count under one lock and takes the permit under another, so threads \
             that came through the gap took the same last permit (do the look at the count and \
             the take of the permit under one lock); or a permit is given back twice."
        );
        assert!(
            peak == k,
            "at most {peak} threads held a permit at once from `Semaphore::new({k})`, although \
             {threads} threads kept asking: all {k} permits should have been in use. Does \
             `acquire` sleep while a permit is still free?"
        );
        let available = within("`available()`", {
            let semaphore = Arc::clone(&semaphore);
            move || semaphore.available()
        });
        assert_eq!(
            available, k,
            "after every permit was dropped, `available()` says {available}, expected {k}: \
             dropping a `Permit` gives its permit back, and `acquire` takes exactly one."
        );
    }
    widen_races(false);
}

// timed: it compares how long timed waits lasted with their timeouts
#[test]
fn semaphore_try_acquire_and_acquire_timeout_follow_python() {
    const TIMEOUT: Duration = Duration::from_millis(60);
    // Every call runs on a helper thread (`within`), so a call that deadlocks is reported.
    // The semaphore is leaked so that permits can come back from those threads.
    let semaphore = leak(Semaphore::new(2));
    let available = || within("`available()`", move || semaphore.available());
    assert_eq!(
        available(),
        2,
        "`Semaphore::new(2).available()` should be 2"
    );
    let first = within("`try_acquire()` with 2 permits free", move || {
        semaphore.try_acquire()
    });
    assert!(
        first.is_some(),
        "`try_acquire` on a semaphore with 2 free permits gave none (Python's \
         `sem.acquire(blocking=False)` returns True here)"
    );
    let second = within("`acquire()` with 1 permit free", move || {
        semaphore.acquire()
    });
    assert_eq!(
        available(),
        0,
        "after two permits were taken from `Semaphore::new(2)`, `available()` should be 0"
    );
    let third = within("`try_acquire()` with no permit free", move || {
        semaphore.try_acquire().is_some()
    });
    assert!(
        !third,
        "`try_acquire` with no permit free gave one: it must return `None` at once \
         (Python's `sem.acquire(blocking=False)` returns False)"
    );
    let (got, took) = within("`acquire_timeout` with no permit free", move || {
        let start = Instant::now();
        let got = semaphore.acquire_timeout(TIMEOUT).is_some();
        (got, start.elapsed())
    });
    assert!(
        !got,
        "`acquire_timeout({TIMEOUT:?})` with no permit free gave one: it must return `None` \
         when the time is up (Python's `sem.acquire(timeout=t)` returns False)"
    );
    assert!(
        took >= TIMEOUT,
        "`acquire_timeout({TIMEOUT:?})` with no permit free gave up after {took:?}: it must wait \
         the whole timeout (a timed wait can end early; wait again for the time that is left)"
    );
    within("dropping a `Permit`", move || drop(first));
    assert_eq!(
        available(),
        1,
        "dropping a `Permit` should give its permit back: `available()` should be 1"
    );
    let got = within("`acquire_timeout` with 1 permit free", move || {
        semaphore.acquire_timeout(TIMEOUT).is_some()
    });
    assert!(
        got,
        "`acquire_timeout({TIMEOUT:?})` with a permit free gave none"
    );
    within("dropping a `Permit`", move || drop(second));
    assert_eq!(
        available(),
        2,
        "after every permit was dropped, `available()` should be 2 again"
    );
    let empty = within("`Semaphore::new(0).try_acquire()`", || {
        Semaphore::new(0).try_acquire().is_some()
    });
    assert!(
        !empty,
        "`Semaphore::new(0).try_acquire()` gave a permit it does not have"
    );
}

// timed: it compares how long a timed wait lasted with its timeout
#[test]
fn acquire_timeout_waits_again_after_a_stolen_wake_up() {
    // A thief holds the only permit, and every few milliseconds drops it (which wakes the
    // waiter) and takes it straight back, before the woken waiter can run. The thief and
    // the waiter are kept on different CPUs (Linux): on one CPU the woken waiter would
    // often preempt the thief and win. Python's `Semaphore.acquire(timeout=t)` waits on
    // after such a wake-up: it recomputes what is left of its deadline (`endtime` in
    // `Lib/threading.py`).
    //
    // What counts as evidence: the waiter times out on time while the permit was given back
    // and taken again many times in the last `TIMEOUT` of its wait (less a margin). Those
    // steals all came after its wait began, so each one woke it, and it waited on. A waiter
    // that wins a returned permit proves nothing (a version that waits once can win too):
    // that attempt is run again.
    const TIMEOUT: Duration = Duration::from_millis(150);
    const STEAL_EVERY: Duration = Duration::from_millis(10);
    const STEAL_FOR: Duration = Duration::from_millis(450);
    const LATE: Duration = Duration::from_millis(250);
    const MARGIN: Duration = Duration::from_millis(5);
    // About 14 steals fit in the window; a busy machine's sleeps run long.
    const STEALS_NEEDED: usize = 5;
    const ATTEMPTS: usize = 5;
    for attempt in 1..=ATTEMPTS {
        let semaphore = leak(Semaphore::new(1));
        let held = within("`try_acquire()` with 1 permit free", move || {
            semaphore.try_acquire()
        })
        .expect(
            "`Semaphore::new(1).try_acquire()` gave no permit; see \
             `semaphore_try_acquire_and_acquire_timeout_follow_python`",
        );
        let waiting = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        // True while the thief holds the only permit (from its take to just before its drop).
        let thief_holds = Arc::new(AtomicBool::new(true));
        let thief = {
            let (waiting, stop) = (Arc::clone(&waiting), Arc::clone(&stop));
            let thief_holds = Arc::clone(&thief_holds);
            thread::spawn(move || {
                timing::pin_current_thread(0);
                let mut held = Some(held);
                // When each permit was taken back, after it had been given back.
                let mut stolen_at = Vec::new();
                let started = Instant::now();
                while !stop.load(Ordering::SeqCst) {
                    thread::sleep(STEAL_EVERY);
                    if !waiting.load(Ordering::SeqCst) || started.elapsed() > STEAL_FOR {
                        continue;
                    }
                    thief_holds.store(false, Ordering::SeqCst);
                    drop(held.take());
                    held = semaphore.try_acquire();
                    if held.is_none() {
                        // The waiter won this one: it has the permit, legitimately.
                        break;
                    }
                    thief_holds.store(true, Ordering::SeqCst);
                    stolen_at.push(Instant::now());
                }
                drop(held);
                stolen_at
            })
        };
        let (got, start, took, both_held) =
            within("`acquire_timeout` while a thief takes permits back", {
                let (waiting, thief_holds) = (Arc::clone(&waiting), Arc::clone(&thief_holds));
                move || {
                    timing::pin_current_thread(1);
                    waiting.store(true, Ordering::SeqCst);
                    let start = Instant::now();
                    let permit = semaphore.acquire_timeout(TIMEOUT);
                    let took = start.elapsed();
                    // Holding a permit now, this thread must hold the only one.
                    let both_held = permit.is_some() && thief_holds.load(Ordering::SeqCst);
                    (permit.is_some(), start, took, both_held)
                }
            });
        stop.store(true, Ordering::SeqCst);
        let stolen_at = thief.join().expect("the thief does not panic");
        let window_start = (start + took).checked_sub(TIMEOUT).unwrap_or(start) + MARGIN;
        let late_steals = stolen_at
            .iter()
            .filter(|at| **at > window_start && **at < start + took)
            .count();
        timing::report!(
            "attempt {attempt}: acquire_timeout({TIMEOUT:?}) returned {} after {:.0} ms, while \
             another thread gave the permit back and took it again {} times ({late_steals} in \
             the last {TIMEOUT:?} of the wait)",
            if got { "a permit" } else { "none" },
            took.as_secs_f64() * 1e3,
            stolen_at.len()
        );
        assert!(
            !both_held,
            "`acquire_timeout({TIMEOUT:?})` on a semaphore of 1 returned a permit after {:.0} ms \
             while another thread held the only one (it had given it back and taken it straight \
             back): two permits out of one. A wake-up is not a permit: after every wake-up, look \
             again whether one is free, and take it only then.",
            took.as_secs_f64() * 1e3
        );
        if got {
            // The waiter got to a returned permit first: right, but a version that waits
            // once can do that too. Nothing was tested.
            continue;
        }
        assert!(
            took >= TIMEOUT,
            "`acquire_timeout({TIMEOUT:?})` gave up after {:.0} ms, long before its timeout, \
             while another thread kept giving the only permit back and taking it again \
             ({} times): a wake-up is not the end of the wait. When the permit that \
             woke it is gone, wait again for what is left until a deadline fixed before the \
             first wait.",
            took.as_secs_f64() * 1e3,
            stolen_at.len()
        );
        assert!(
            took < TIMEOUT + LATE,
            "`acquire_timeout({TIMEOUT:?})` returned after {:.0} ms, while another thread gave the \
             permit back and took it again every {STEAL_EVERY:?} ({} times): each \
             wake-up started the whole timeout again. Fix the deadline before the first wait and \
             wait for what is left of it.",
            took.as_secs_f64() * 1e3,
            stolen_at.len()
        );
        if late_steals >= STEALS_NEEDED {
            return;
        }
    }
    timing::inconclusive(format!(
        "in {ATTEMPTS} attempts the waiting thread either won a returned permit or the other \
         thread took a permit back fewer than {STEALS_NEEDED} times in the last {TIMEOUT:?} of the \
         wait: nothing was tested. This is the machine (too busy to run the other thread \
         on time), not your code: run the check again."
    ));
}

#[test]
fn dropping_a_permit_wakes_a_blocked_acquirer() {
    let semaphore = leak(Semaphore::new(1));
    let held = within("`try_acquire()` with 1 permit free", move || {
        semaphore.try_acquire()
    })
    .expect(
        "`Semaphore::new(1).try_acquire()` gave no permit; see \
         `semaphore_try_acquire_and_acquire_timeout_follow_python`",
    );
    let mut crew = Crew::start("acquirer", 1, move |_| drop(semaphore.acquire()));
    crew.settle(SETTLE);
    crew.no_panic("the thread in `acquire`");
    assert_eq!(
        crew.finished(),
        0,
        "`acquire` returned while the only permit of `Semaphore::new(1)` was held: it must \
         wait until a permit is free"
    );
    within("dropping the only `Permit`", move || drop(held));
    crew.join(WAKE, |_| {
        format!(
            "dropping the only `Permit` did not wake the thread waiting in `acquire` within \
             {} s: dropping a permit must give it back and wake a sleeper",
            WAKE.as_secs()
        )
    });
}

// timed: it reads the waiting threads' CPU time and wake-ups
#[test]
fn blocked_acquirers_sleep_until_a_permit_comes_back() {
    expect_sleeping_waiters(
        "threads in `acquire`",
        "sleep on the condition variable in `acquire` until a permit comes back",
        || {
            // Leaked so that its permit can move into `release`.
            let semaphore = leak(Semaphore::new(1));
            let held = within("`try_acquire()`", move || semaphore.try_acquire()).expect(
                "`Semaphore::new(1).try_acquire()` gave no permit; see \
                 `semaphore_try_acquire_and_acquire_timeout_follow_python`",
            );
            Blocking {
                block: Box::new(move |_| drop(semaphore.acquire())),
                release: Box::new(move || drop(held)),
            }
        },
    );
}

// step downloads: `download_all`, the pages on threads of their own, bounded by a semaphore

#[test]
fn download_all_keeps_at_most_k_downloads_in_flight() {
    let server = loopback::Server::start(
        loopback::Config::delay(Duration::from_millis(20)).lifetime(Duration::from_secs(60)),
    )
    .expect("the check could not start its loopback server on 127.0.0.1");
    let addr = server.addr();
    let size = server.config().body_size;
    let pages: Vec<u64> = (1..=12).map(|i| i * 7 + seed() % 5).collect();
    for k in [2, 5] {
        let gauge = Arc::new(Gauge::default());
        let start = Instant::now();
        let results = within("`download_all`", {
            let (pages, gauge) = (pages.clone(), Arc::clone(&gauge));
            move || {
                download_all(&pages, k, |page| {
                    let _downloading = gauge.enter();
                    fetch(addr, page)
                })
            }
        });
        let took = start.elapsed();
        let peak = gauge.peak();
        timing::report!(
            "download_all of {} pages (20 ms each) with a limit of {k}: {} ms, the most \
             downloads at once: {peak}",
            pages.len(),
            took.as_millis()
        );
        assert_eq!(
            results.len(),
            pages.len(),
            "`download_all` of {} pages returned {} results: one per page, in the pages' order",
            pages.len(),
            results.len()
        );
        for (page, result) in pages.iter().zip(&results) {
            let expected = loopback::expected_reply(*page, size);
            match result {
                Ok(line) => assert_eq!(
                    line,
                    expected.trim_end(),
                    "`download_all`'s result for page {page} is another page's: results come \
                     back in the pages' order"
                ),
                Err(error) => panic!("downloading page {page} failed: {error}"),
            }
        }
        assert!(
            peak <= k,
            "{peak} downloads ran at once with a limit of {k}: each download must hold a \
             permit from start to end. A permit taken with `let _ = ....acquire();` is dropped \
             at once; keep it in a named variable for the whole download."
        );
        assert!(
            peak == k,
            "at most {peak} downloads ran at once with a limit of {k} and {} pages: the limit \
             should be reached. Does every page get a thread of its own, all started before \
             any is joined?",
            pages.len()
        );
    }
}

#[test]
fn download_all_starts_a_waiting_page_as_soon_as_one_ends() {
    // The downloads here are the check's own: each one waits until the check lets it
    // finish, and the check lets them finish one at a time, in an order of its choosing.
    // Whenever one ends, a waiting page must start.
    const LIMIT_AT_ONCE: usize = 3;
    let base = seed() % 1000;
    let pages: Vec<u64> = (0..9).map(|i| base + i * 13 + (i * i) % 5).collect();
    let gate = Arc::new(Gate::default());
    let mut run = Crew::start("download_all", 1, {
        let (pages, gate) = (pages.clone(), Arc::clone(&gate));
        move |_| {
            download_all(&pages, LIMIT_AT_ONCE, |page| {
                gate.enter(page);
                gate.wait_for_leave(page);
                format!("page {page}")
            })
        }
    });
    let mut released = 0;
    while released < pages.len() {
        let wanted = LIMIT_AT_ONCE.min(pages.len() - released);
        let inside = gate.wait_inside(wanted, PATIENCE);
        run.finished();
        if let Some((_, message)) = run.first_panic() {
            panic!("`download_all` panicked: {message}");
        }
        if inside.len() < wanted {
            if released == 0 {
                panic!(
                    "`download_all` of {} pages with a limit of {LIMIT_AT_ONCE} had started only \
                     {} download(s) after {} s: {LIMIT_AT_ONCE} should run at once. Does every page \
                     get a thread of its own, all started before any is joined?",
                    pages.len(),
                    inside.len(),
                    PATIENCE.as_secs()
                );
            }
            panic!(
                "after {released} download(s) had ended, {} ran where {LIMIT_AT_ONCE} may, and none \
                 of the {} waiting pages started within {} s: the downloads run in batches (a batch \
                 of {LIMIT_AT_ONCE} threads joined before the next starts). With a semaphore, a page \
                 starts the moment a permit comes back.",
                inside.len(),
                pages.len() - released - inside.len(),
                PATIENCE.as_secs()
            );
        }
        // Let one finish: the one that started last, so the order of ending is not the order
        // of the pages.
        let last = *inside.last().expect("at least one download is inside");
        gate.let_leave(last);
        released += 1;
    }
    let results = run.join(LIMIT, |_| {
        format!(
            "every download had ended, but `download_all` had not returned {} s later",
            LIMIT.as_secs()
        )
    });
    let results = &results[0];
    let peak = gate.peak();
    timing::report!(
        "{} pages, a limit of {LIMIT_AT_ONCE}, ended one at a time in an order of the check's \
         choosing: at most {peak} at once, a waiting page started each time one ended",
        pages.len()
    );
    assert!(
        peak <= LIMIT_AT_ONCE,
        "{peak} downloads ran at once with a limit of {LIMIT_AT_ONCE}: each download must hold a \
         permit from start to end"
    );
    let expected: Vec<String> = pages.iter().map(|p| format!("page {p}")).collect();
    assert!(
        *results == expected,
        "the downloads ended in another order than the pages', and `download_all` returned \
         {results:?}; expected {expected:?}: results come back in the pages' order, not the order \
         they finished in"
    );
}

// step queue: `BoundedQueue`: put, get, len, is_empty

#[test]
fn queue_hands_items_out_in_fifo_order() {
    let (len, got, len_after) = within("3 puts, then 3 gets, on `BoundedQueue::new(3)`", || {
        let queue = BoundedQueue::new(3);
        for item in [10, 20, 30] {
            queue.put(item);
        }
        let len = queue.len();
        let got: Vec<i32> = (0..3).map(|_| queue.get()).collect();
        (len, got, queue.len())
    });
    assert_eq!(len, 3, "after 3 puts, `len()` should be 3");
    assert_eq!(
        got,
        [10, 20, 30],
        "put 10, 20, 30, then got {got:?}: a queue hands items out first in, first out"
    );
    assert_eq!(len_after, 0, "after 3 puts and 3 gets, `len()` should be 0");
    let (empty, capacity) = within("`is_empty()` and `capacity()`", || {
        let queue = BoundedQueue::new(2);
        let before = queue.is_empty();
        queue.put(1);
        ((before, queue.is_empty()), queue.capacity())
    });
    assert_eq!(
        capacity, 2,
        "`BoundedQueue::new(2).capacity()` gave {capacity}: it is the `maxsize` the queue was \
         made with"
    );
    assert_eq!(
        empty,
        (true, false),
        "`is_empty()` on a new queue, then after one put, gave {empty:?}"
    );

    let queue = Arc::new(BoundedQueue::new(4));
    let items = 2000;
    let producer = Crew::start("producer", 1, {
        let queue = Arc::clone(&queue);
        move |_| (0..items).for_each(|item| queue.put(item))
    });
    let consumer = Crew::start("consumer", 1, {
        let queue = Arc::clone(&queue);
        move |_| (0..items).map(|_| queue.get()).collect::<Vec<_>>()
    });
    producer.join(LIMIT, |_| {
        format!(
            "a producer putting {items} items into a queue of 4, with a consumer taking them, \
             was still in `put` after {} s: does `get` wake a waiting `put`?",
            LIMIT.as_secs()
        )
    });
    let got = consumer.join(LIMIT, |_| {
        format!(
            "a consumer taking {items} items was still in `get` after {} s: does `put` wake a \
             waiting `get`?",
            LIMIT.as_secs()
        )
    });
    let got = &got[0];
    if let Some(i) = (0..items).position(|i| got[i] != i) {
        panic!(
            "one producer put 0..{items} and one consumer got item {} at position {i}: a queue \
             keeps the order items were put in",
            got[i]
        );
    }
}

#[test]
fn get_waits_while_the_queue_is_empty() {
    let queue = Arc::new(BoundedQueue::new(2));
    let mut consumer = Crew::start("consumer", 1, {
        let queue = Arc::clone(&queue);
        move |_| queue.get()
    });
    consumer.settle(SETTLE);
    consumer.no_panic("a consumer in `get` on an empty queue");
    assert_eq!(
        consumer.finished(),
        0,
        "`get` on an empty queue returned: it must wait until an item is put"
    );
    within("`put(7)`", {
        let queue = Arc::clone(&queue);
        move || queue.put(7)
    });
    let got = consumer.join(WAKE, |_| {
        format!(
            "after `put(7)`, the consumer waiting in `get` had not returned within {} s: `put` \
             must wake a waiting `get`",
            WAKE.as_secs()
        )
    });
    assert_eq!(
        got[0], 7,
        "the consumer waiting in `get` got {} after `put(7)`",
        got[0]
    );
}

#[test]
fn put_waits_while_the_queue_is_full() {
    let queue = Arc::new(BoundedQueue::new(2));
    let progress = Arc::new(AtomicUsize::new(0));
    let mut producer = Crew::start("producer", 1, {
        let (queue, progress) = (Arc::clone(&queue), Arc::clone(&progress));
        move |_| {
            for item in 0..5 {
                queue.put(item);
                progress.fetch_add(1, Ordering::SeqCst);
            }
        }
    });
    producer.settle(SETTLE);
    producer.no_panic("a producer in `put`");
    let done = progress.load(Ordering::SeqCst);
    let len = within("`len()`", {
        let queue = Arc::clone(&queue);
        move || queue.len()
    });
    assert!(
        done == 2 && len == 2,
        "a producer putting 5 items into `BoundedQueue::new(2)`, with nobody taking them, \
         finished {done} puts and the queue holds {len} items: `put` must wait while the \
         queue is full (2 puts, 2 items, then wait)"
    );
    for expected in 0..5 {
        let got = within("`get` while a producer waits to put", {
            let queue = Arc::clone(&queue);
            move || queue.get()
        });
        assert_eq!(got, expected, "items came out of the queue out of order");
    }
    producer.join(WAKE, |_| {
        format!(
            "after its items were taken, the producer was still in `put` {} s later: `get` \
             must wake a waiting `put`",
            WAKE.as_secs()
        )
    });
}

#[test]
fn every_item_is_delivered_exactly_once_with_many_producers_and_consumers() {
    let producers = 4;
    let per_producer = 2500;
    let consumers = 12;
    let queue = Arc::new(BoundedQueue::<Option<(usize, usize)>>::new(8));
    let mut producer_crew = Crew::start("producer", producers, {
        let queue = Arc::clone(&queue);
        move |p| (0..per_producer).for_each(|i| queue.put(Some((p, i))))
    });
    let mut consumer_crew = Crew::start("consumer", consumers, {
        let queue = Arc::clone(&queue);
        move |_| {
            let mut got = Vec::new();
            while let Some(item) = queue.get() {
                got.push(item);
            }
            got
        }
    });
    wait_for_producers(&mut producer_crew, &mut consumer_crew);
    // `None` is the sentinel that tells a consumer to stop, as in Python: one each.
    let mut sentinels = Crew::start("sentinel producer", 1, {
        let queue = Arc::clone(&queue);
        move |_| (0..consumers).for_each(|_| queue.put(None))
    });
    wait_for_producers(&mut sentinels, &mut consumer_crew);
    let received = consumer_crew.join_consumers(LIMIT);
    let mut seen = vec![vec![0u32; per_producer]; producers];
    for (c, got) in received.iter().enumerate() {
        let mut last: Vec<Option<usize>> = vec![None; producers];
        for &(p, i) in got {
            seen[p][i] += 1;
            if let Some(before) = last[p]
                && i < before
            {
                panic!(
                    "consumer {c} got item {i} of producer {p} after its item {before}: a \
                     first-in, first-out queue keeps each producer's order"
                );
            }
            last[p] = Some(i);
        }
    }
    let total: usize = received.iter().map(Vec::len).sum();
    timing::report!(
        "{producers} producers x {per_producer} items through a queue of 8 to \
         {consumers} consumers: {total} items received"
    );
    for (p, counts) in seen.iter().enumerate() {
        if let Some(i) = counts.iter().position(|&n| n != 1) {
            panic!(
                "item {i} of producer {p} was received {} times, expected exactly once ({total} \
                 items received in all, {} put): every `put` item must come out of exactly one \
                 `get`",
                counts[i],
                producers * per_producer
            );
        }
    }
}

#[test]
fn many_consumers_never_find_the_queue_empty_after_waking() {
    // Many consumers and a queue of one: every `put` wakes one waiting consumer, and
    // consumers that are still running often take the item before it gets there.
    let producers = 2;
    let per_producer = 4000;
    let consumers = 24;
    let queue = Arc::new(BoundedQueue::<Option<usize>>::new(1));
    let mut producer_crew = Crew::start("producer", producers, {
        let queue = Arc::clone(&queue);
        move |_| (0..per_producer).for_each(|i| queue.put(Some(i)))
    });
    let mut consumer_crew = Crew::start("consumer", consumers, {
        let queue = Arc::clone(&queue);
        move |_| {
            let mut got = 0usize;
            while queue.get().is_some() {
                got += 1;
            }
            got
        }
    });
    wait_for_producers(&mut producer_crew, &mut consumer_crew);
    let mut sentinels = Crew::start("sentinel producer", 1, {
        let queue = Arc::clone(&queue);
        move |_| (0..consumers).for_each(|_| queue.put(None))
    });
    wait_for_producers(&mut sentinels, &mut consumer_crew);
    let counts = consumer_crew.join_consumers(LIMIT);
    let total: usize = counts.iter().sum();
    assert_eq!(
        total,
        producers * per_producer,
        "{consumers} consumers received {total} items, {} were put",
        producers * per_producer
    );
}

// timed: it reads the waiting threads' CPU time and wake-ups
#[test]
fn blocked_consumers_sleep_until_an_item_comes() {
    expect_sleeping_waiters(
        "consumers in `get` on an empty queue",
        "sleep on the condition variable in `get` until an item comes",
        || {
            let queue = Arc::new(BoundedQueue::new(BLOCKERS));
            let for_release = Arc::clone(&queue);
            Blocking {
                block: Box::new(move |_| {
                    queue.get();
                }),
                release: Box::new(move || (0..BLOCKERS).for_each(|i| for_release.put(i))),
            }
        },
    );
}

// step event: `Event`: set, clear, is_set, wait, wait_timeout

// timed: it compares how long timed waits lasted with their timeouts
#[test]
fn event_wait_times_out_until_set_and_clear_resets_it() {
    const TIMEOUT: Duration = Duration::from_millis(60);
    let event = Arc::new(Event::new());
    // Every call runs on a helper thread, so a call that deadlocks is reported.
    let call = |what: &str, f: fn(&Event) -> bool| {
        let event = Arc::clone(&event);
        within(what, move || f(&event))
    };
    assert!(
        !call("`is_set()`", Event::is_set),
        "a new `Event` should not be set"
    );
    let (flag, took) = within("`wait_timeout` on an event nobody sets", {
        let event = Arc::clone(&event);
        move || {
            let start = Instant::now();
            (event.wait_timeout(TIMEOUT), start.elapsed())
        }
    });
    assert!(
        !flag,
        "`wait_timeout({TIMEOUT:?})` on an event nobody set returned true: it returns the flag, \
         false when the time ran out (Python's `event.wait(t)` returns False)"
    );
    assert!(
        took >= TIMEOUT,
        "`wait_timeout({TIMEOUT:?})` gave up after {took:?}: it must wait the whole timeout (a \
         timed wait on the condition variable can end early; wait again for the time that is \
         left)"
    );
    call("`set()`", |event| {
        event.set();
        true
    });
    assert!(
        call("`is_set()`", Event::is_set),
        "after `set()`, `is_set()` should be true"
    );
    let (flag, took) = within("`wait_timeout(5 s)` on a set event", {
        let event = Arc::clone(&event);
        move || {
            let start = Instant::now();
            (event.wait_timeout(Duration::from_secs(5)), start.elapsed())
        }
    });
    assert!(flag, "`wait_timeout` on a set event returned false");
    assert!(
        took < Duration::from_secs(1),
        "`wait_timeout(5 s)` on a set event took {took:?}: it should return at once"
    );
    call("`wait()` on a set event", |event| {
        event.wait();
        true
    });
    call("`clear()`", |event| {
        event.clear();
        true
    });
    assert!(
        !call("`is_set()`", Event::is_set),
        "after `clear()`, `is_set()` should be false"
    );
    let flag = call("`wait_timeout` after `clear()`", |event| {
        event.wait_timeout(Duration::from_millis(30))
    });
    assert!(
        !flag,
        "after `clear()`, `wait_timeout(30 ms)` returned true: a cleared event blocks again"
    );
}

#[test]
fn event_set_wakes_every_waiter() {
    let waiters = 8;
    let event = Arc::new(Event::new());
    let mut crew = Crew::start("waiter", waiters, {
        let event = Arc::clone(&event);
        move |_| event.wait()
    });
    crew.settle(SETTLE);
    crew.no_panic("a thread in `Event::wait`");
    assert_eq!(
        crew.finished(),
        0,
        "{} of {waiters} threads returned from `wait()` before anyone called `set()`: `wait` \
         blocks while the flag is false",
        crew.finished()
    );
    within("`set()`", {
        let event = Arc::clone(&event);
        move || event.set()
    });
    let woke = crew.wait_for_all(WAKE);
    assert!(
        woke == waiters,
        "{woke} of {waiters} waiters woke up after set(): set() must wake every waiter \
         (notify_all), not one"
    );
}

// timed: it reads the waiting threads' CPU time and wake-ups
#[test]
fn blocked_event_waiters_sleep_until_set() {
    expect_sleeping_waiters(
        "threads in `Event::wait`",
        "sleep on the condition variable in `wait` until the flag is set",
        || {
            let event = Arc::new(Event::new());
            let for_release = Arc::clone(&event);
            Blocking {
                block: Box::new(move |_| event.wait()),
                release: Box::new(move || for_release.set()),
            }
        },
    );
}

// step barrier: `Barrier::wait`, a meeting point that works round after round

#[test]
fn barrier_holds_everyone_until_the_last_party_arrives() {
    let parties = 5;
    let barrier = Arc::new(Barrier::new(parties));
    assert_eq!(
        barrier.parties(),
        parties,
        "`Barrier::new(5).parties()` should be 5"
    );
    let mut early = Crew::start("early", parties - 1, {
        let barrier = Arc::clone(&barrier);
        move |_| barrier.wait()
    });
    early.settle(SETTLE);
    early.no_panic("a thread in `Barrier::wait`");
    assert_eq!(
        early.finished(),
        0,
        "{} of the first {} threads left `Barrier::new({parties}).wait()` before the last \
         party arrived: `wait` blocks until all {parties} have called it",
        early.finished(),
        parties - 1
    );
    let last = within("`wait()` of the last party", {
        let barrier = Arc::clone(&barrier);
        move || barrier.wait()
    });
    let left = early.wait_for_all(WAKE);
    assert!(
        left == parties - 1,
        "only {left} of the {} threads waiting at the barrier left when the last party \
         arrived. The candidates: {}",
        parties - 1,
        if left == 1 {
            "the last arrival woke one waiter (notify_one) where every waiter must wake (notify_all); \
             or the waiters woke, but went back to sleep because what they look at after waking no \
             longer says their round is over"
        } else {
            "the waiters woke but went back to sleep, because what they look at after waking (a \
             count the last arrival set back to zero?) no longer says their round is over; or the \
             last arrival woke nobody"
        }
    );
    let mut indices: BTreeSet<usize> = early.join(WAKE, |_| String::new()).into_iter().collect();
    assert_eq!(
        last,
        parties - 1,
        "the last party's `wait()` returned {last}; Python's `Barrier.wait()` returns the \
         arrival index, {} for the last of {parties}",
        parties - 1
    );
    indices.insert(last);
    assert_eq!(
        indices,
        (0..parties).collect(),
        "the {parties} parties' `wait()` returned {indices:?}: each should get a different \
         arrival index, 0 to {}",
        parties - 1
    );
}

#[test]
fn barrier_can_be_used_round_after_round() {
    let parties = 6;
    let rounds = 100;
    let barrier = Arc::new(Barrier::new(parties));
    let arrived: Arc<Vec<AtomicUsize>> =
        Arc::new((0..rounds).map(|_| AtomicUsize::new(0)).collect());
    let indices: Arc<Vec<Mutex<Vec<usize>>>> =
        Arc::new((0..rounds).map(|_| Mutex::new(Vec::new())).collect());
    let crew = Crew::start("party", parties, {
        let (barrier, arrived, indices) = (
            Arc::clone(&barrier),
            Arc::clone(&arrived),
            Arc::clone(&indices),
        );
        move |_| -> Result<(), String> {
            for round in 0..rounds {
                arrived[round].fetch_add(1, Ordering::SeqCst);
                let index = barrier.wait();
                let here = arrived[round].load(Ordering::SeqCst);
                if here != parties {
                    return Err(format!(
                        "in round {round} a thread left the barrier when only {here} of \
                         {parties} had arrived: a round ends when the last party arrives, and \
                         the count starts again from 0 for the next round"
                    ));
                }
                indices[round]
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(index);
            }
            Ok(())
        }
    });
    let outcomes = crew.join(LIMIT, |stuck| {
        let rounds_done = arrived
            .iter()
            .take_while(|count| count.load(Ordering::SeqCst) == parties)
            .count();
        format!(
            "{stuck} of {parties} threads were still in `Barrier::wait` after {} s, in round \
             {rounds_done} of {rounds}: after the last arrival, does the barrier start the next \
             round and let every waiter of this one go (a generation number tells the rounds \
             apart)?",
            LIMIT.as_secs()
        )
    });
    for outcome in outcomes {
        if let Err(message) = outcome {
            panic!("{message}");
        }
    }
    for (round, got) in indices.iter().enumerate() {
        let mut got = got.lock().unwrap_or_else(|p| p.into_inner()).clone();
        got.sort_unstable();
        assert_eq!(
            got,
            (0..parties).collect::<Vec<_>>(),
            "in round {round} the parties' `wait()` returned the indices {got:?}: each round \
             hands out 0 to {} again",
            parties - 1
        );
    }
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A number that differs from run to run, so that no answer can be written down in advance.
fn seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    u64::from(nanos) ^ u64::from(std::process::id())
}

/// Counts how many threads are inside a stretch of code, and the most at once.
#[derive(Default)]
struct Gauge {
    now: AtomicUsize,
    peak: AtomicUsize,
}

struct Inside<'a>(&'a Gauge);

impl Gauge {
    fn enter(&self) -> Inside<'_> {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        Inside(self)
    }

    fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

impl Drop for Inside<'_> {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Downloads that the check lets end one at a time: which pages are inside (in the order
/// they came in), which may leave, and the most inside at once.
#[derive(Default)]
struct Gate {
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Default)]
struct GateState {
    inside: Vec<u64>,
    may_leave: BTreeSet<u64>,
    peak: usize,
}

impl Gate {
    fn lock(&self) -> std::sync::MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn enter(&self, page: u64) {
        let mut state = self.lock();
        state.inside.push(page);
        state.peak = state.peak.max(state.inside.len());
        self.changed.notify_all();
    }

    /// Waits (at most `LIMIT`) until the check lets `page` end.
    fn wait_for_leave(&self, page: u64) {
        let deadline = Instant::now() + LIMIT;
        let mut state = self.lock();
        while !state.may_leave.contains(&page) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            state = self
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        state.inside.retain(|&p| p != page);
        self.changed.notify_all();
    }

    /// Waits at most `patience` until `n` downloads are inside; returns who is.
    fn wait_inside(&self, n: usize, patience: Duration) -> Vec<u64> {
        let deadline = Instant::now() + patience;
        let mut state = self.lock();
        loop {
            // Those allowed to leave are on their way out.
            let staying: Vec<u64> = state
                .inside
                .iter()
                .copied()
                .filter(|p| !state.may_leave.contains(p))
                .collect();
            let left = deadline.saturating_duration_since(Instant::now());
            if staying.len() >= n || left.is_zero() {
                return staying;
            }
            state = self
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    fn let_leave(&self, page: u64) {
        self.lock().may_leave.insert(page);
        self.changed.notify_all();
    }

    fn peak(&self) -> usize {
        self.lock().peak
    }
}

/// Threads started by a check. Each sends its result, or its panic, when it ends; the
/// check waits for them with a bound and never hangs.
struct Crew<T> {
    role: String,
    done: Receiver<(usize, thread::Result<T>)>,
    results: Vec<Option<thread::Result<T>>>,
    /// The kernel's ids of its threads, as they start.
    tids: Arc<Mutex<Vec<u32>>>,
}

impl<T: Send + 'static> Crew<T> {
    fn start(
        role: &str,
        size: usize,
        work: impl Fn(usize) -> T + Send + Sync + 'static,
    ) -> Crew<T> {
        let work = Arc::new(work);
        let tids = Arc::new(Mutex::new(Vec::new()));
        let (send, done) = mpsc::channel();
        for i in 0..size {
            let (send, work, tids) = (send.clone(), Arc::clone(&work), Arc::clone(&tids));
            thread::Builder::new()
                .name(format!("{role}-{i}"))
                .spawn(move || {
                    if let Some(tid) = blocked_waiting::thread_id() {
                        tids.lock().unwrap_or_else(|p| p.into_inner()).push(tid);
                    }
                    let result = panic::catch_unwind(AssertUnwindSafe(|| work(i)));
                    let _ = send.send((i, result));
                })
                .expect("the system can start one more thread");
        }
        Crew {
            role: role.to_string(),
            done,
            results: (0..size).map(|_| None).collect(),
            tids,
        }
    }
}

impl<T> Crew<T> {
    /// How many have ended so far (returned or panicked), without waiting.
    fn finished(&mut self) -> usize {
        while let Ok((i, result)) = self.done.try_recv() {
            self.results[i] = Some(result);
        }
        self.results.iter().filter(|r| r.is_some()).count()
    }

    /// The kernel's ids of the threads that have started.
    fn tids(&self) -> Vec<u32> {
        self.tids.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Waits until every thread has started and is asleep, or has ended, or `patience`
    /// has passed: a thread that blocks the right way falls asleep within microseconds.
    /// Where the kernel does not tell, waits the whole `patience`.
    fn settle(&mut self, patience: Duration) {
        let start = Instant::now();
        while start.elapsed() < patience {
            let tids = self.tids();
            let all_started = tids.len() == self.results.len();
            let asleep = tids.iter().all(|&tid| {
                // A thread that ended has no state to read: it is not running either.
                blocked_waiting::scheduler_state(tid).is_none_or(|s| s == 'S' || s == 'D')
            });
            if all_started && asleep && blocked_waiting::thread_id().is_some() {
                // Once more after a moment, so that a thread on its way into a wait is
                // not taken for one in it.
                thread::sleep(Duration::from_millis(2));
                if self
                    .tids()
                    .iter()
                    .all(|&t| blocked_waiting::scheduler_state(t).is_none_or(|s| s != 'R'))
                {
                    return;
                }
            }
            thread::sleep(Duration::from_millis(1));
        }
    }

    /// Waits at most `within` for all of them; returns how many have ended.
    fn wait_for_all(&mut self, within: Duration) -> usize {
        let deadline = Instant::now() + within;
        while self.finished() < self.results.len() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.done.recv_timeout(left) {
                Ok((i, result)) => self.results[i] = Some(result),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        self.finished()
    }

    /// Waits at most `within` for all of them; true when all ended. Panics are kept.
    fn wait(&mut self, within: Duration) -> bool {
        self.wait_for_all(within) == self.results.len()
    }

    /// Fails the check with the first panic of a thread that has ended, if any.
    fn no_panic(&mut self, who: &str) {
        self.finished();
        if let Some((i, message)) = self.first_panic() {
            panic!("{who} ({} {i}) panicked: {message}", self.role);
        }
    }

    fn first_panic(&self) -> Option<(usize, String)> {
        self.results.iter().enumerate().find_map(|(i, r)| match r {
            Some(Err(payload)) => Some((i, panic_text(payload.as_ref()))),
            _ => None,
        })
    }

    /// Waits at most `within` for all of them and returns their results in order. A
    /// thread's panic fails the check with its message; threads still running fail it
    /// with `stuck(how_many)`.
    fn join(mut self, within: Duration, stuck: impl FnOnce(usize) -> String) -> Vec<T> {
        let finished = self.wait_for_all(within);
        self.resume_first_panic();
        let size = self.results.len();
        if finished < size {
            panic!("{}", stuck(size - finished));
        }
        self.results
            .into_iter()
            .map(|r| match r {
                Some(Ok(value)) => value,
                _ => unreachable!("every thread ended without a panic"),
            })
            .collect()
    }

    /// `join` for consumers of a queue: a consumer that panicked most likely took from an
    /// empty queue, and the message says why that happens.
    fn join_consumers(mut self, within: Duration) -> Vec<T> {
        let finished = self.wait_for_all(within);
        let size = self.results.len();
        self.consumer_panic();
        if finished < size {
            panic!(
                "{} of {size} consumers were still in `get` after {} s, though every item and \
                 a stop sentinel for each consumer had been put: does `put` wake a waiting \
                 `get`?",
                size - finished,
                within.as_secs()
            );
        }
        self.join(Duration::ZERO, |_| String::new())
    }

    /// Fails the check if a consumer panicked, saying what most likely happened.
    fn consumer_panic(&self) {
        if let Some((i, message)) = self.first_panic() {
            panic!(
                "consumer {i} of {} panicked in `get` with \"{message}\". If that is a \
                 `pop_front()` that found nothing, a consumer woke up and found the queue \
                 empty: wait in a `while` loop, not an `if`. Between the notification that \
                 woke it and the moment it holds the mutex again, another consumer can take \
                 the item.",
                self.results.len()
            );
        }
    }

    fn resume_first_panic(&mut self) {
        if let Some(i) = self.results.iter().position(|r| matches!(r, Some(Err(_)))) {
            let Some(Err(payload)) = self.results[i].take() else {
                unreachable!("found just above")
            };
            panic::resume_unwind(payload);
        }
    }
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// Waits at most `LIMIT` for the producers to finish while watching the consumers: a
/// consumer that panics ends the wait at once, with the consumers' message.
fn wait_for_producers<T, U>(producers: &mut Crew<T>, consumers: &mut Crew<U>) {
    let deadline = Instant::now() + LIMIT;
    while Instant::now() < deadline {
        if producers.wait(Duration::from_millis(20)) {
            producers.resume_first_panic();
            return;
        }
        consumers.finished();
        if consumers.first_panic().is_some() {
            break;
        }
    }
    consumers.finished();
    if consumers.first_panic().is_some() {
        consumers.consumer_panic();
    }
    let stuck = producers.results.len() - producers.finished();
    panic!(
        "{stuck} of {} {}s were still in `put` after {} s while {} consumers were taking \
         items: does `get` wake a waiting `put`?",
        producers.results.len(),
        producers.role,
        LIMIT.as_secs(),
        consumers.results.len()
    );
}

/// Runs `work` on a helper thread and waits for it at most `LIMIT`.
fn within<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    match timing::bounded(LIMIT, work) {
        Ok(value) => value,
        Err(timing::StillRunning) => panic!(
            "{what} had not returned after {} s. Does it wait for something that never comes \
             (a condition that nobody signals, a mutex it already holds)?",
            LIMIT.as_secs()
        ),
    }
}

/// A value that lives as long as the check's process, so that helper threads can
/// borrow it (a `Permit<'static>` can come back from `within`).
fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

/// What each blocked thread of a "sleeps" check runs, and what releases them all.
struct Blocking {
    block: Box<dyn Fn(usize) + Send + Sync>,
    release: Box<dyn FnOnce() + Send>,
}

/// Blocks `BLOCKERS` threads, watches them for `WATCH` (their wake-ups, CPU time and
/// scheduler state), then a thread waiting on a `Condvar` for as long, and fails unless
/// the blocked threads waited as that one did: a busy loop is always running or ready to
/// run, a poll wakes up over and over, and either uses a share of a core that a sleeping
/// thread does not. `fix` says what to do about it.
fn expect_sleeping_waiters(who: &str, fix: &str, setup: impl FnOnce() -> Blocking) {
    let Blocking { block, release } = setup();
    let mut crew = Crew::start("blocked", BLOCKERS, block);
    crew.settle(SETTLE);
    crew.no_panic(who);
    let tids = crew.tids();
    let watched = (tids.len() == BLOCKERS)
        .then(|| blocked_waiting::watch(&tids, WATCH))
        .flatten();
    let baseline = blocked_waiting::baseline(WATCH, None);
    crew.no_panic(who);
    let early = crew.finished();
    assert_eq!(
        early, 0,
        "{early} of {BLOCKERS} {who} returned before they were released: they should have \
         blocked"
    );
    within("releasing the blocked threads", release);
    crew.join(LIMIT, |stuck| {
        format!(
            "{stuck} of {BLOCKERS} {who} had not returned {} s after they were released",
            LIMIT.as_secs()
        )
    });
    let (Some(watched), Some(baseline)) = (watched, baseline) else {
        timing::inconclusive(
            "this system does not tell a thread's wake-ups and scheduler state (Linux's /proc): \
             whether the waiting threads slept was not measured",
        );
    };
    let who = format!("the {BLOCKERS} {who}");
    match watched.judge(&baseline, &who) {
        Ok(figures) => timing::report!("{figures}"),
        Err(problem) => panic!(
            "{problem}; {fix}. A thread waiting on a condition variable sleeps until it is \
             notified: no CPU, no wake-ups. (Measured: {:.0} wake-ups and {:.1}% of a core each \
             in {:.0} ms, running or ready to run in {} of {} looks; the thread waiting on a \
             Condvar beside them: {:.0} wake-ups, {:.1}% of a core.)",
            watched.wakeups_each(),
            watched.cpu_share_each() * 100.0,
            watched.wall.as_secs_f64() * 1e3,
            watched.runnable,
            watched.looks,
            baseline.wakeups_each(),
            baseline.cpu_share_each() * 100.0
        ),
    }
}
