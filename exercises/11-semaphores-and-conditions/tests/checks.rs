//! Checks for exercise 11. They are compiled against your crate and against the
//! reference solution; do not edit them.
//!
//! Every call that may block runs on a thread of its own, and the check waits for it
//! with a bound: a version that never wakes up fails with a message instead of hanging.
//! The CPU-time checks read each blocked thread's own CPU clock
//! (`timing::thread_cpu_ns`), so other programs on the machine cannot add to it, and
//! look at the threads' scheduler state (Linux `/proc`), so that a busy loop starved by
//! other programs cannot pass for a wait.

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use semaphores_and_conditions::{Barrier, BoundedQueue, Event, Semaphore, download_all, fetch};

/// How long a check waits for threads that should finish on their own.
const LIMIT: Duration = Duration::from_secs(20);

/// How long a woken thread may take to return. A wake-up takes microseconds; the margin
/// is for a machine so busy that a thread waits for a core.
const WAKE: Duration = Duration::from_secs(5);

/// How long a check lets threads run before it looks whether they blocked.
const SETTLE: Duration = Duration::from_millis(150);

/// How long the CPU-time checks keep threads blocked.
const BLOCKED: Duration = Duration::from_millis(300);

/// CPU time that blocked threads may use together in `BLOCKED`. Measured on the course's
/// 2-core machine: the reference solution's 8 blocked threads used 0.03 to 0.2 ms
/// together; a busy-wait 220 to 265 ms with the cores free, but as little as 1 ms while
/// other programs kept both cores busy. Hence the look at the scheduler state beside it.
const BUSY_CPU: Duration = Duration::from_millis(30);

/// How many threads the CPU-time checks block.
const BLOCKERS: usize = 8;

/// Where the threads' scheduler state cannot be read (no `/proc`), `BLOCKERS` threads
/// spinning on `yield_now` beside the blocked ones must get at least this much CPU
/// together in `BLOCKED`, or the machine is too busy for a busy-wait to show. Under load
/// a thread that yields gets far less than its share: measured here, 1 ms in 300 ms
/// while other programs kept both cores busy, where a thread that spins without
/// yielding got 59 ms.
const SPINNER_MIN: Duration = Duration::from_millis(90);

/// How many times a CPU-time check measures before it says inconclusive.
const ATTEMPTS: usize = 3;

// ---------------------------------------------------------------------------
// Semaphore
// ---------------------------------------------------------------------------

#[test]
fn semaphore_lets_at_most_k_threads_in_at_once_and_reaches_k() {
    let threads = 16;
    let rounds = 30;
    for k in [1, 3, 4] {
        let semaphore = Arc::new(Semaphore::new(k));
        let gauge = Arc::new(Gauge::default());
        let crew = Crew::start("worker", threads, {
            let (semaphore, gauge) = (Arc::clone(&semaphore), Arc::clone(&gauge));
            move |_| {
                for _ in 0..rounds {
                    let _permit = semaphore.acquire();
                    let _inside = gauge.enter();
                    thread::sleep(Duration::from_micros(300));
                }
            }
        });
        crew.join(LIMIT, |stuck| {
            format!(
                "with `Semaphore::new({k})` and {threads} threads taking and dropping permits, \
                 {stuck} of them were still waiting in `acquire` after {} s. Does dropping a \
                 `Permit` give it back (`impl Drop for Permit`) and wake a waiter with \
                 `notify_one`?",
                LIMIT.as_secs()
            )
        });
        let peak = gauge.peak();
        timing::report!(
            "Semaphore::new({k}), {threads} threads x {rounds} permits each: the most \
             permits held at once: {peak}"
        );
        assert!(
            peak <= k,
            "{peak} threads held a permit at once from `Semaphore::new({k})`, with {threads} \
             threads asking: `acquire` must wait while no permit is free \
             (`while *permits == 0 {{ ... wait ... }}`), then take one."
        );
        assert!(
            peak == k,
            "at most {peak} threads held a permit at once from `Semaphore::new({k})`, although \
             {threads} threads kept asking: all {k} permits should have been in use. Does \
             `acquire` wait while a permit is still free?"
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
}

// timed: it asserts on wall-clock or CPU time
#[test]
fn semaphore_try_acquire_and_acquire_timeout_follow_python() {
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
    let (got, took) = within("`acquire_timeout(100 ms)` with no permit free", move || {
        let start = Instant::now();
        let got = semaphore
            .acquire_timeout(Duration::from_millis(100))
            .is_some();
        (got, start.elapsed())
    });
    assert!(
        !got,
        "`acquire_timeout(100 ms)` with no permit free gave one: it must return `None` when \
         the time is up (Python's `sem.acquire(timeout=0.1)` returns False)"
    );
    assert!(
        took >= Duration::from_millis(100),
        "`acquire_timeout(100 ms)` gave up after {took:?}: it must wait the whole timeout \
         (a `wait_timeout` can wake early; wait again for the time that is left)"
    );
    within("dropping a `Permit`", move || drop(first));
    assert_eq!(
        available(),
        1,
        "dropping a `Permit` should give its permit back: `available()` should be 1"
    );
    let got = within("`acquire_timeout(100 ms)` with 1 permit free", move || {
        semaphore
            .acquire_timeout(Duration::from_millis(100))
            .is_some()
    });
    assert!(
        got,
        "`acquire_timeout(100 ms)` with a permit free gave none"
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
    thread::sleep(SETTLE);
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
             {} s: `Drop for Permit` must add the permit back and `notify_one` the condition \
             variable",
            WAKE.as_secs()
        )
    });
}

#[test]
fn download_all_keeps_at_most_k_downloads_in_flight() {
    let server = loopback::Server::start(
        loopback::Config::delay(Duration::from_millis(50)).lifetime(Duration::from_secs(60)),
    )
    .expect("the check could not start its loopback server on 127.0.0.1");
    let addr = server.addr();
    let size = server.config().body_size;
    let pages: Vec<u64> = (1..=16).collect();
    for k in [1, 3, 8] {
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
            "download_all of {} pages with a limit of {k}: {} ms, the most downloads \
             at once: {peak}",
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
             permit from start to end. `let _ = semaphore.acquire();` drops the permit at once; \
             keep it in a named variable (`let _permit = semaphore.acquire();`) for the whole \
             download."
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

// timed: it asserts on wall-clock or CPU time
#[test]
fn blocked_acquirers_use_no_cpu() {
    expect_no_busy_wait(
        "threads blocked in `acquire`",
        "wait on the condition variable (`self.permit_released.wait(..)` in `acquire`)",
        || {
            // One semaphore per attempt, leaked so that its permit can move into `release`.
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

// ---------------------------------------------------------------------------
// BoundedQueue
// ---------------------------------------------------------------------------

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
        "put 10, 20, 30, then got {got:?}: a queue hands items out first in, first out \
         (`push_back` in `put`, `pop_front` in `get`)"
    );
    assert_eq!(len_after, 0, "after 3 puts and 3 gets, `len()` should be 0");

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
             was still in `put` after {} s: does `get` wake a waiting `put` (`not_full`)?",
            LIMIT.as_secs()
        )
    });
    let got = consumer.join(LIMIT, |_| {
        format!(
            "a consumer taking {items} items was still in `get` after {} s: does `put` wake a \
             waiting `get` (`not_empty`)?",
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
    thread::sleep(SETTLE);
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
             must wake a waiting `get` (`self.not_empty.notify_one()`)",
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
    thread::sleep(SETTLE);
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
             must wake a waiting `put` (`self.not_full.notify_one()`)",
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
    // `None` is the sentinel that tells a consumer to stop, as in Python: one each.
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

// timed: it asserts on wall-clock or CPU time
#[test]
fn blocked_consumers_use_no_cpu() {
    expect_no_busy_wait(
        "blocked consumers",
        "wait on the condition variable (`self.not_empty.wait(items)` in `get`)",
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

// ---------------------------------------------------------------------------
// Event
// ---------------------------------------------------------------------------

// timed: it asserts on wall-clock or CPU time
#[test]
fn event_wait_times_out_until_set_and_clear_resets_it() {
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
    let (flag, took) = within("`wait_timeout(100 ms)` on an event nobody sets", {
        let event = Arc::clone(&event);
        move || {
            let start = Instant::now();
            (
                event.wait_timeout(Duration::from_millis(100)),
                start.elapsed(),
            )
        }
    });
    assert!(
        !flag,
        "`wait_timeout(100 ms)` on an event nobody set returned true: it returns the flag, \
         false when the time ran out (Python's `event.wait(0.1)` returns False)"
    );
    assert!(
        took >= Duration::from_millis(100),
        "`wait_timeout(100 ms)` gave up after {took:?}: it must wait the whole timeout (a \
         `wait_timeout` on the condition variable can wake early; wait again for the time \
         that is left)"
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
    let flag = call("`wait_timeout(50 ms)` after `clear()`", |event| {
        event.wait_timeout(Duration::from_millis(50))
    });
    assert!(
        !flag,
        "after `clear()`, `wait_timeout(50 ms)` returned true: a cleared event blocks again"
    );
}

#[test]
fn event_set_wakes_every_waiter() {
    let waiters = 8;
    let event = Arc::new(Event::new());
    let ready = Arc::new(AtomicUsize::new(0));
    let mut crew = Crew::start("waiter", waiters, {
        let (event, ready) = (Arc::clone(&event), Arc::clone(&ready));
        move |_| {
            ready.fetch_add(1, Ordering::SeqCst);
            event.wait();
        }
    });
    wait_until_ready(&ready, waiters, "waiter");
    thread::sleep(SETTLE);
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

// timed: it asserts on wall-clock or CPU time
#[test]
fn blocked_event_waiters_use_no_cpu() {
    expect_no_busy_wait(
        "threads blocked in `Event::wait`",
        "wait on the condition variable (`self.changed.wait(flag)` in `wait`)",
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

// ---------------------------------------------------------------------------
// Barrier
// ---------------------------------------------------------------------------

#[test]
fn barrier_holds_everyone_until_the_last_party_arrives() {
    let parties = 5;
    let barrier = Arc::new(Barrier::new(parties));
    assert_eq!(
        barrier.parties(),
        parties,
        "`Barrier::new(5).parties()` should be 5"
    );
    let ready = Arc::new(AtomicUsize::new(0));
    let mut early = Crew::start("early", parties - 1, {
        let (barrier, ready) = (Arc::clone(&barrier), Arc::clone(&ready));
        move |_| {
            ready.fetch_add(1, Ordering::SeqCst);
            barrier.wait()
        }
    });
    wait_until_ready(&ready, parties - 1, "early arrival");
    thread::sleep(SETTLE);
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
         arrived: the last arrival must wake every waiter (notify_all), not one",
        parties - 1
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
                indices[round].lock().unwrap().push(index);
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
             {rounds_done} of {rounds}: after the last arrival, does the barrier reset its \
             count and let every waiter of the round go (a generation number tells the \
             rounds apart)?",
            LIMIT.as_secs()
        )
    });
    for outcome in outcomes {
        if let Err(message) = outcome {
            panic!("{message}");
        }
    }
    for (round, got) in indices.iter().enumerate() {
        let mut got = got.lock().unwrap().clone();
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

/// Threads started by a check. Each sends its result, or its panic, when it ends; the
/// check waits for them with a bound and never hangs.
struct Crew<T> {
    role: String,
    done: Receiver<(usize, thread::Result<T>)>,
    results: Vec<Option<thread::Result<T>>>,
}

impl<T: Send + 'static> Crew<T> {
    fn start(
        role: &str,
        size: usize,
        work: impl Fn(usize) -> T + Send + Sync + 'static,
    ) -> Crew<T> {
        let work = Arc::new(work);
        let (send, done) = mpsc::channel();
        for i in 0..size {
            let (send, work) = (send.clone(), Arc::clone(&work));
            thread::Builder::new()
                .name(format!("{role}-{i}"))
                .spawn(move || {
                    let result = panic::catch_unwind(AssertUnwindSafe(|| work(i)));
                    let _ = send.send((i, result));
                })
                .expect("the system can start one more thread");
        }
        Crew {
            role: role.to_string(),
            done,
            results: (0..size).map(|_| None).collect(),
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

    /// Waits at most `within`; true when all ended. Panics of the threads are kept.
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
                 `get` (`not_empty.notify_one()`)?",
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
                 empty: wait in a `while` loop, not an `if`. Between the `notify_one` that \
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
         items: does `get` wake a waiting `put` (`not_full.notify_one()`)?",
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

/// Waits (at most `LIMIT`) until `n` threads have said they are about to block.
fn wait_until_ready(ready: &AtomicUsize, n: usize, who: &str) {
    let deadline = Instant::now() + LIMIT;
    while ready.load(Ordering::SeqCst) < n {
        assert!(
            Instant::now() < deadline,
            "only {} of {n} {who} threads started within {} s",
            ready.load(Ordering::SeqCst),
            LIMIT.as_secs()
        );
        thread::sleep(Duration::from_millis(1));
    }
}

/// One attempt of a CPU-time check: what each blocked thread runs, and what releases
/// them all.
struct Blocking {
    block: Box<dyn Fn(usize) + Send + Sync>,
    release: Box<dyn FnOnce() + Send>,
}

/// What threads blocked for `BLOCKED` cost, and how we know they slept.
struct BlockedCost {
    /// CPU time of the blocked threads together, from their own CPU clocks.
    cpu: Duration,
    /// The longest time one of them spent in its blocking call.
    blocked: Duration,
    /// How the kernel saw the threads meanwhile (Linux), or what spinning threads beside
    /// them got (elsewhere).
    evidence: Evidence,
}

/// Why a low CPU figure can be trusted.
enum Evidence {
    /// Their scheduler state, read from `/proc` every few milliseconds: `looks` readings
    /// in all, `runnable` of them running or waiting for a CPU (state `R`), not asleep.
    States { looks: usize, runnable: usize },
    /// Without `/proc`: what `BLOCKERS` threads spinning on `yield_now` beside them got.
    Spinners(Duration),
}

// ANCHOR: no_busy_wait
/// Fails if `BLOCKERS` threads blocked for `BLOCKED` use `BUSY_CPU` or more, which only
/// a busy-wait does. A busy loop on a busy machine may get little CPU, so the check also
/// looks at the threads' scheduler state: a thread waiting on a condition variable is
/// asleep (`S`), a busy loop is always running or ready to run (`R`), however little CPU
/// it gets. Where the state cannot be read, threads spinning beside the blocked ones show
/// how much CPU a busy-wait could have had, and the check measures again (up to
/// `ATTEMPTS` times) before it says inconclusive.
fn expect_no_busy_wait(who: &str, fix: &str, setup: impl Fn() -> Blocking) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mut spinners_got = Vec::new();
    for attempt in 1..=ATTEMPTS {
        let Blocking { block, release } = setup();
        let cost = cpu_while_blocked(block, release);
        let (cpu, blocked) = (ms(cost.cpu), ms(cost.blocked));
        match cost.evidence {
            Evidence::States { looks, runnable } => timing::report!(
                "{BLOCKERS} {who} used {cpu:.2} ms of CPU in {blocked:.0} ms, and were \
                 running or ready to run in {runnable} of {looks} looks at their state; a \
                 busy-wait fails at {:.0} ms or at half the looks",
                ms(BUSY_CPU)
            ),
            Evidence::Spinners(got) => timing::report!(
                "{BLOCKERS} {who} used {cpu:.2} ms of CPU in {blocked:.0} ms \
                 ({BLOCKERS} threads spinning beside them got {:.0} ms); a busy-wait fails at \
                 {:.0} ms",
                ms(got),
                ms(BUSY_CPU)
            ),
        }
        assert!(
            cost.cpu < BUSY_CPU,
            "the {BLOCKERS} {who} used {cpu:.0} ms of CPU in {blocked:.0} ms: that is a \
             busy-wait; {fix}. A thread waiting on a condition variable sleeps until it is \
             notified and uses no CPU."
        );
        match cost.evidence {
            Evidence::States { looks, runnable } => {
                assert!(
                    runnable * 2 < looks,
                    "the {BLOCKERS} {who} used {cpu:.0} ms of CPU in {blocked:.0} ms, but they \
                     were running or ready to run in {runnable} of {looks} looks at their state, \
                     never asleep: that is a busy-wait; {fix}. (It got little CPU only because \
                     other programs kept the cores busy.)"
                );
                return;
            }
            Evidence::Spinners(got) if got >= SPINNER_MIN => return,
            Evidence::Spinners(got) => spinners_got.push(format!("{:.0} ms", ms(got))),
        }
        if attempt < ATTEMPTS {
            thread::sleep(Duration::from_secs(1));
        }
    }
    timing::inconclusive(format!(
        "{BLOCKERS} threads spinning beside the blocked ones got only {} of CPU in {} runs \
         of {:.0} ms (a busy-wait needs {:.0} ms to show): the machine is too busy to tell a \
         busy-wait from a real wait. Run the check again later.",
        spinners_got.join(", "),
        ATTEMPTS,
        ms(BLOCKED),
        ms(SPINNER_MIN)
    ));
}
// ANCHOR_END: no_busy_wait

/// Starts `BLOCKERS` threads that each call `block(i)`, keeps them blocked for
/// `BLOCKED`, then calls `release` and waits for them all. Each thread reads its own CPU
/// clock just before `block` and just after it returns; meanwhile the check reads their
/// scheduler states (or, without `/proc`, runs spinning threads beside them).
fn cpu_while_blocked(
    block: Box<dyn Fn(usize) + Send + Sync>,
    release: Box<dyn FnOnce() + Send>,
) -> BlockedCost {
    if timing::thread_cpu_ns().is_none() {
        timing::inconclusive("this system cannot read a thread's CPU clock: not measured");
    }
    let ready = Arc::new(AtomicUsize::new(0));
    let tids = Arc::new(Mutex::new(Vec::new()));
    let mut crew = Crew::start("blocked", BLOCKERS, {
        let (ready, tids) = (Arc::clone(&ready), Arc::clone(&tids));
        move |i| {
            if let Some(tid) = own_thread_id() {
                tids.lock().unwrap().push(tid);
            }
            ready.fetch_add(1, Ordering::SeqCst);
            let (start, before) = (Instant::now(), timing::thread_cpu_ns().unwrap_or(0));
            block(i);
            let cpu = timing::thread_cpu_ns().unwrap_or(0).saturating_sub(before);
            (Duration::from_nanos(cpu), start.elapsed())
        }
    });
    wait_until_ready(&ready, BLOCKERS, "blocked");
    // Time to get from `ready` into the wait, even on a busy machine.
    thread::sleep(Duration::from_millis(50));
    let tids = tids.lock().unwrap().clone();
    let readable = tids.len() == BLOCKERS && tids.iter().all(|&tid| state_of(tid).is_some());
    let start = Instant::now();
    let evidence = if readable {
        let (mut looks, mut runnable) = (0, 0);
        while start.elapsed() < BLOCKED {
            for &tid in &tids {
                if let Some(state) = state_of(tid) {
                    looks += 1;
                    if state == 'R' {
                        runnable += 1;
                    }
                }
            }
            thread::sleep(Duration::from_millis(3));
        }
        Evidence::States { looks, runnable }
    } else {
        let stop = Arc::new(AtomicBool::new(false));
        let spinners: Vec<_> = (0..BLOCKERS)
            .map(|_| {
                let stop = Arc::clone(&stop);
                thread::spawn(move || {
                    let before = timing::thread_cpu_ns().unwrap_or(0);
                    while !stop.load(Ordering::Relaxed) {
                        thread::yield_now();
                    }
                    Duration::from_nanos(
                        timing::thread_cpu_ns().unwrap_or(0).saturating_sub(before),
                    )
                })
            })
            .collect();
        thread::sleep(BLOCKED);
        stop.store(true, Ordering::Relaxed);
        Evidence::Spinners(
            spinners
                .into_iter()
                .map(|spinner| spinner.join().expect("a spinning thread does not panic"))
                .sum(),
        )
    };
    crew.no_panic("a blocked thread");
    let early = crew.finished();
    assert_eq!(
        early, 0,
        "{early} of {BLOCKERS} threads returned before they were released: they should have \
         blocked"
    );
    within("releasing the blocked threads", release);
    let costs = crew.join(LIMIT, |stuck| {
        format!(
            "{stuck} of {BLOCKERS} blocked threads had not returned {} s after they were \
             released",
            LIMIT.as_secs()
        )
    });
    BlockedCost {
        cpu: costs.iter().map(|&(cpu, _)| cpu).sum(),
        blocked: costs
            .iter()
            .map(|&(_, wall)| wall)
            .max()
            .unwrap_or_default(),
        evidence,
    }
}

/// The calling thread's id as the kernel knows it (Linux: `/proc/thread-self` links to
/// `<pid>/task/<tid>`); `None` elsewhere.
fn own_thread_id() -> Option<u32> {
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    link.file_name()?.to_str()?.parse().ok()
}

/// The scheduler state of thread `tid` of this process (`R` running or ready to run,
/// `S` asleep, ...), from `/proc/self/task/<tid>/stat`; `None` where it cannot be read.
fn state_of(tid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).ok()?;
    // `<tid> (<name>) <state> ...`: the name may hold spaces and parentheses.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.trim_start().chars().next()
}
