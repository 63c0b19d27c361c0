//! Checks for exercise 10. They are compiled against your crate and against the
//! reference solution; do not edit them.
//!
//! No check can hang on a lock that is never released: every call into your code runs on
//! a helper thread that the check waits for at most `LIMIT`, and every wait for "the
//! other thread got the lock" is bounded. A thread stuck in your code is left behind and
//! the check fails with a message.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use locks::{
    Account, AcquireError, AtomicCounter, Lock, MutexCounter, NotOwner, RLock, WithdrawError,
    can_lose_updates, programs, with_lock,
};
use python_model::workloads::lost_updates;
use python_model::{CheckPoints, EventKind, Interpreter, Program};

/// How long one call into your code may take.
const LIMIT: Duration = Duration::from_secs(20);

/// How long a check waits to see that something does NOT happen (a thread stays blocked).
const BLOCKED_FOR: Duration = Duration::from_millis(300);

const NEVER_ENDS: &str = "A lock that is never released, or a wait that is never woken, is the \
    usual cause: does every release `notify` the condvar, and does every path out release?";

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

// ---------------------------------------------------------------------------
// The lost update on the model.
// ---------------------------------------------------------------------------

/// Which CPython the model plays.
#[derive(Clone, Copy, Debug)]
enum Python {
    /// 3.10 and later: check points at RESUME and JUMP_BACKWARD only.
    V310,
    /// 3.9: a check before every instruction.
    V39,
    /// A free-threaded build (PEP 703): no GIL at all.
    FreeThreaded,
}

impl Python {
    fn name(self) -> &'static str {
        match self {
            Python::V310 => "CPython 3.10+",
            Python::V39 => "CPython 3.9",
            Python::FreeThreaded => "free-threaded CPython",
        }
    }

    fn check_points(self) -> CheckPoints {
        match self {
            Python::V39 => CheckPoints::EveryInstruction,
            _ => CheckPoints::BackEdgesAndCalls,
        }
    }

    /// A traced interpreter; a 1 ms switch interval, so that a short run holds hundreds of
    /// forced switches.
    fn interpreter(self) -> Interpreter {
        let builder = Interpreter::builder()
            .trace(true)
            .switch_interval(ms(1))
            .check_points(self.check_points());
        match self {
            Python::FreeThreaded => builder.free_threaded().build(),
            _ => builder.build(),
        }
    }
}

/// Increments per thread: long enough for a hundred switches at a 1 ms interval.
const PER_THREAD: i64 = 10_000_000;

/// A race with no lost update proves something only if the two threads took turns (or
/// met at the lock) at least this often.
const MIN_SWITCHES: usize = 20;

/// The same for a race with the lock, which runs a tenth as many increments: in the model
/// a forced switch in the middle of an unguarded read-modify-write loses an update nearly
/// every time, so ten chances are plenty (measured: 14 to 60 on the course's machine).
const MIN_MEETINGS: usize = 10;

/// Increments per thread with a lock, which makes each one slower.
const PER_THREAD_LOCKED: i64 = 1_000_000;

/// What one race of two Python threads gave.
struct Race {
    expected: i64,
    counted: i64,
    /// Forced switches from one adder to the other during the run.
    switches: usize,
    /// Times an adder found the model's lock held by the other and waited for it.
    contended: usize,
    python: Python,
}

impl Race {
    fn lost(&self) -> i64 {
        self.expected - self.counted
    }

    fn describe(&self) -> String {
        let mut how = match self.python {
            Python::FreeThreaded => "with no GIL to switch".to_string(),
            _ => format!("over {} thread switches", self.switches),
        };
        if self.contended > 0 {
            how += &format!(", {} waits for the lock", self.contended);
        }
        format!(
            "{} of {} updates lost ({:.1}%), {how}",
            self.lost(),
            self.expected,
            self.lost() as f64 * 100.0 / self.expected as f64,
        )
    }
}

/// Runs `entry(per_thread)` of `program` on two Python threads at once.
fn race(program: &Program, entry: &str, python: Python, per_thread: i64) -> Race {
    let interp = python.interpreter();
    let watched = interp.clone();
    let program = program.clone();
    let entry = entry.to_string();
    let what = format!("running {entry} on the model");
    let result = within(&what, move || {
        lost_updates(&interp, &program, &entry, 2, per_thread)
    })
    .unwrap_or_else(|e| panic!("the model could not run {what}: {e}"));
    let (switches, contended) = watched.trace().map_or((0, 0), |log| {
        let switches = log.handoffs().iter().filter(|h| h.from != h.to).count();
        // An acquire of a lock that is held blocks, and a blocking call is traced.
        let contended = log
            .events
            .iter()
            .filter(|e| e.kind == EventKind::BlockingStart)
            .count();
        (switches, contended)
    });
    Race {
        expected: result.expected,
        counted: result.counted,
        switches,
        contended,
        python,
    }
}

/// The programs the checks race, by name: the model's two, and two more.
fn program(name: &str) -> Program {
    match name {
        "add_in_place" => Program::add_in_place(),
        "add_with_call" => Program::add_with_call(),
        "call_first" => programs::call_first(),
        "read_call_write" => programs::read_call_write(),
        _ => unreachable!("no program {name}"),
    }
}

/// The statement in the loop of a program's source (its lines joined by `; `).
fn statement(program: &Program) -> String {
    let source = program.source();
    let body = source
        .split_once("for _ in range(n):")
        .map_or(source, |(_, body)| body);
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Predicts with your `can_lose_updates`, races on the model, and fails unless the two
/// agree. Returns the race.
fn predict_and_race(name: &str, python: Python) -> Race {
    let p = program(name);
    let stmt = statement(&p);
    let predicted = within("`can_lose_updates`", {
        let p = p.clone();
        move || can_lose_updates(&p, python.check_points())
    });
    let race = race(&p, name, python, PER_THREAD);
    timing::report!(
        "`{stmt}` on {}: predicted {}, measured {}",
        python.name(),
        if predicted {
            "lost updates"
        } else {
            "none lost"
        },
        race.describe()
    );
    if race.lost() == 0 && race.switches < MIN_SWITCHES {
        timing::inconclusive(format!(
            "the model switched threads only {} times while running `{stmt}` on {}: too few to \
             tell whether updates can be lost. This is the machine (too busy to let the two threads \
             take turns), not your code: run the check again.",
            race.switches,
            python.name()
        ));
    }
    let lost = race.lost() > 0;
    assert!(
        predicted == lost,
        "`can_lose_updates` says `{stmt}` {} on {} ({:?}), but the model, running it on two threads, \
         measured {}. Look at which instructions lie between the read (LOAD_GLOBAL) and the write \
         (STORE_GLOBAL), and before which of them this Python can switch threads:\n{p}",
        if predicted {
            "can lose updates"
        } else {
            "cannot lose updates"
        },
        python.name(),
        python.check_points(),
        race.describe()
    );
    race
}

/// `counter += 1` on CPython 3.10 and later, whose threads look at the eval breaker only
/// on function entry, at loops' back-edges and around calls.
#[test]
fn plus_equals_loses_nothing_when_only_calls_and_loops_check() {
    let race = predict_and_race("add_in_place", Python::V310);
    assert_eq!(race.lost(), 0);
}

/// `counter = counter + one()` on CPython 3.10 and later: `one`'s entry is a check point.
#[test]
fn a_call_between_the_read_and_the_write_loses_updates() {
    let race = predict_and_race("add_with_call", Python::V310);
    assert!(race.lost() > 0);
}

/// `counter += 1` on CPython 3.9, which looked at the eval breaker before (nearly)
/// every instruction.
#[test]
fn plus_equals_loses_updates_when_every_instruction_checks() {
    let race = predict_and_race("add_in_place", Python::V39);
    assert!(race.lost() > 0);
}

#[test]
fn the_prediction_matches_the_model_on_more_programs() {
    for python in [Python::V310, Python::V39] {
        for name in ["call_first", "read_call_write"] {
            predict_and_race(name, python);
        }
    }
}

#[test]
fn with_lock_makes_every_count_exact() {
    for name in [
        "add_in_place",
        "add_with_call",
        "call_first",
        "read_call_write",
    ] {
        let p = program(name);
        let stmt = statement(&p);
        let locked = within("`with_lock`", move || with_lock(&p));
        for python in [Python::V310, Python::V39, Python::FreeThreaded] {
            let predicted = within("`can_lose_updates`", {
                let locked = locked.clone();
                move || can_lose_updates(&locked, python.check_points())
            });
            assert!(
                !predicted,
                "`can_lose_updates` says `with lock: {stmt}` can still lose updates on {}: a \
                 read-modify-write between LOCK_ACQUIRE and LOCK_RELEASE cannot:\n{locked}",
                python.name()
            );
            let race = race(&locked, name, python, PER_THREAD_LOCKED);
            timing::report!(
                "`with lock: {stmt}` on {}: {}",
                python.name(),
                race.describe()
            );
            // An exact count proves the lock only if the threads met: under a GIL, at forced
            // switches or at the lock; with no GIL, at the lock, which is not fair (a thread
            // that lets it go can take it straight back), so a few long waits are enough.
            let met = match python {
                Python::FreeThreaded => race.contended >= 1,
                _ => race.switches + race.contended >= MIN_MEETINGS,
            };
            if race.lost() == 0 && !met {
                timing::inconclusive(format!(
                    "while running `with lock: {stmt}` on {}, the model's two threads took turns {} \
                     times and met at the lock {} times: too few to show that the lock keeps every \
                     update. This is the machine (too busy to run the two threads together), not \
                     your code: run the check again.",
                    python.name(),
                    race.switches,
                    race.contended
                ));
            }
            assert!(
                race.lost() == 0,
                "`with lock: {stmt}` on {} still lost updates: {}. Does the lock cover the whole \
                 read-modify-write, from the LOAD_GLOBAL to the STORE_GLOBAL? Your program:\n{locked}",
                python.name(),
                race.describe()
            );
        }
    }
}

#[test]
fn with_lock_covers_the_read_modify_write_and_no_more() {
    for (plain, expected) in [
        (Program::add_with_call(), Program::add_with_call_locked()),
        (Program::add_in_place(), Program::add_in_place_locked()),
    ] {
        let stmt = statement(&plain);
        let locked = within("`with_lock`", move || with_lock(&plain));
        let entry = locked.functions().last().map(|f| f.code.clone());
        let wanted = expected.functions().last().map(|f| f.code.clone());
        assert!(
            locked.locks() == ["lock"] && entry == wanted,
            "`with_lock` on `{stmt}` gave\n{locked}\nexpected one lock named \"lock\", a LOCK_ACQUIRE right \
             before the LOAD_GLOBAL and a LOCK_RELEASE right after the STORE_GLOBAL, nothing else \
             changed:\n{expected}"
        );
    }
    let locked = within("`with_lock`", || with_lock(&Program::add_with_call()));
    let listing = locked.to_string();
    let disassembly = listing
        .find("Disassembly of add_with_call")
        .map_or(listing.as_str(), |at| &listing[at..]);
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => "with_lock(&Program::add_with_call()): the entry function; * marks CPython 3.10+'s check points",
    }, {
        insta::assert_snapshot!("with_lock_add_with_call", disassembly);
    });
}

// ---------------------------------------------------------------------------
// Counters in Rust.
// ---------------------------------------------------------------------------

const THREADS: usize = 8;
const INCREMENTS: u64 = 100_000;

/// `THREADS` threads call `increment` `INCREMENTS` times each, released together by a
/// barrier; returns the final count.
fn hammer<C: Send + Sync + 'static>(
    what: &str,
    new: fn() -> C,
    increment: fn(&C),
    get: fn(&C) -> u64,
) -> u64 {
    within(what, move || {
        let counter = new();
        let start = Barrier::new(THREADS);
        thread::scope(|s| {
            for _ in 0..THREADS {
                s.spawn(|| {
                    start.wait();
                    for _ in 0..INCREMENTS {
                        increment(&counter);
                    }
                });
            }
        });
        get(&counter)
    })
}

#[test]
fn atomic_counter_counts_every_increment_from_many_threads() {
    let count = hammer(
        "`AtomicCounter`",
        AtomicCounter::new,
        AtomicCounter::increment,
        AtomicCounter::get,
    );
    let expected = THREADS as u64 * INCREMENTS;
    timing::report!("{THREADS} threads x {INCREMENTS} increments: {count}");
    assert!(
        count == expected,
        "{THREADS} threads each called `AtomicCounter::increment` {INCREMENTS} times; expected {expected}, \
         got {count}. A `load` then a `store` is two steps another thread can come between: use \
         `fetch_add`, one step."
    );
}

#[test]
fn mutex_counter_counts_every_increment_from_many_threads() {
    let count = hammer(
        "`MutexCounter`",
        MutexCounter::new,
        MutexCounter::increment,
        MutexCounter::get,
    );
    let expected = THREADS as u64 * INCREMENTS;
    timing::report!("{THREADS} threads x {INCREMENTS} increments: {count}");
    assert!(
        count == expected,
        "{THREADS} threads each called `MutexCounter::increment` {INCREMENTS} times; expected {expected}, \
         got {count}. Read and write the count through one guard of one `lock()`."
    );
}

// ---------------------------------------------------------------------------
// RLock.
// ---------------------------------------------------------------------------

/// Starts a thread that calls `rlock.acquire()` and reports when it got it, with the CPU
/// time it spent waiting. The thread then releases it.
fn contender(rlock: &Arc<RLock>) -> mpsc::Receiver<Duration> {
    let (got, got_it) = mpsc::channel();
    let rlock = Arc::clone(rlock);
    thread::Builder::new()
        .name("contender".into())
        .spawn(move || {
            let before = timing::thread_cpu_ns();
            rlock.acquire();
            let cpu = match (before, timing::thread_cpu_ns()) {
                (Some(a), Some(b)) => Duration::from_nanos(b.saturating_sub(a)),
                _ => Duration::ZERO,
            };
            let _ = got.send(cpu);
            let _ = rlock.release();
        })
        .expect("the system can start one more thread");
    got_it
}

/// Fails unless the contender is still waiting after `BLOCKED_FOR`.
fn still_waiting(got_it: &mpsc::Receiver<Duration>, when: &str) {
    match got_it.recv_timeout(BLOCKED_FOR) {
        Err(RecvTimeoutError::Timeout) => {}
        Ok(_) => panic!(
            "another thread acquired the RLock {when}: other threads must wait until the owner's \
             last release. Does `acquire` wait while another thread owns it?"
        ),
        Err(RecvTimeoutError::Disconnected) => {
            panic!("the thread waiting for the RLock panicked {when}; its message is above")
        }
    }
}

/// Fails unless the contender gets the lock within `LIMIT`; its CPU time waiting.
fn gets_it(got_it: &mpsc::Receiver<Duration>, when: &str) -> Duration {
    match got_it.recv_timeout(LIMIT) {
        Ok(cpu) => cpu,
        Err(RecvTimeoutError::Timeout) => panic!(
            "another thread was still waiting for the RLock {} s {when}. Does the last `release` free \
             it (no owner) and wake a waiter (`notify_one`)?",
            LIMIT.as_secs()
        ),
        Err(RecvTimeoutError::Disconnected) => {
            panic!("the thread waiting for the RLock panicked {when}; its message is above")
        }
    }
}

#[test]
fn an_rlock_reenters_n_deep_and_needs_n_releases() {
    const DEPTH: usize = 5;
    within("`RLock` acquired 5 deep", || {
        let rlock = RLock::new();
        for level in 1..=DEPTH {
            rlock.acquire(); // would deadlock at level 2 if it were not re-entrant
            let _ = level;
        }
        for level in (1..=DEPTH).rev() {
            assert!(
                rlock.release().is_ok(),
                "release number {} of {DEPTH}, by the thread that acquired it {DEPTH} times, failed: \
                 count the acquires, and free the lock only at 0",
                DEPTH - level + 1
            );
        }
        assert!(
            rlock.release() == Err(NotOwner),
            "a release after {DEPTH} acquires and {DEPTH} releases succeeded: the lock was free, so \
             Python raises RuntimeError: cannot release un-acquired lock. Expected Err(NotOwner)."
        );
    });
    timing::report!("acquired {DEPTH} deep on one thread, released {DEPTH} times");
}

#[test]
fn only_the_owner_can_release_an_rlock() {
    let rlock = Arc::new(RLock::new());
    within("`RLock::release` of a lock nobody holds", {
        let rlock = Arc::clone(&rlock);
        move || {
            assert!(
                rlock.release() == Err(NotOwner),
                "releasing an RLock that nobody holds succeeded: expected Err(NotOwner) (Python: \
                 RuntimeError: cannot release un-acquired lock)"
            );
        }
    });
    // The owner takes it twice and keeps it until told to let go.
    let (held, is_held) = mpsc::channel();
    let (go, let_go) = mpsc::channel::<()>();
    let (gave_back, owner_released) = mpsc::channel();
    {
        let rlock = Arc::clone(&rlock);
        thread::spawn(move || {
            rlock.acquire();
            rlock.acquire();
            let _ = held.send(());
            let _ = let_go.recv_timeout(LIMIT);
            let _ = gave_back.send((rlock.release(), rlock.release()));
        });
    }
    is_held
        .recv_timeout(LIMIT)
        .unwrap_or_else(|_| panic!("a thread could not acquire a free RLock twice. {NEVER_ENDS}"));
    let stranger = within("`RLock::release` from a thread that does not own it", {
        let rlock = Arc::clone(&rlock);
        move || rlock.release()
    });
    assert!(
        stranger == Err(NotOwner),
        "release-from-other-thread: releasing an RLock from a thread that does not own it succeeded \
         ({stranger:?}). Only the owner may release an RLock: compare the owner with \
         `thread::current().id()` and return Err(NotOwner) otherwise, as Python raises \
         RuntimeError: cannot release un-acquired lock."
    );
    let _ = go.send(());
    let released = owner_released.recv_timeout(LIMIT).unwrap_or_else(|_| {
        panic!(
            "the owner's two releases had not returned after {} s. {NEVER_ENDS}",
            LIMIT.as_secs()
        )
    });
    assert!(
        released == (Ok(()), Ok(())),
        "after a stranger's refused release, the owner's two releases gave {released:?}: a refused \
         release must leave the lock as it was"
    );
}

#[test]
fn another_thread_gets_the_rlock_only_after_the_last_release() {
    let rlock = Arc::new(RLock::new());
    let (step, next) = mpsc::channel::<()>();
    let (done, finished) = mpsc::channel();
    // The owner acquires 3 deep, then releases one level at each step.
    {
        let rlock = Arc::clone(&rlock);
        thread::spawn(move || {
            for _ in 0..3 {
                rlock.acquire();
            }
            let _ = done.send(0);
            for level in (0..3).rev() {
                if next.recv_timeout(LIMIT).is_err() {
                    return;
                }
                let _ = rlock.release();
                let _ = done.send(level);
            }
        });
    }
    let wait_for_owner = |what: &str| {
        finished.recv_timeout(LIMIT).unwrap_or_else(|_| {
            panic!(
                "the owner thread did not {what} within {} s. {NEVER_ENDS}",
                LIMIT.as_secs()
            )
        })
    };
    wait_for_owner("acquire a free RLock 3 deep");
    let got_it = contender(&rlock);
    still_waiting(&got_it, "while its owner held it 3 deep");
    for left in [2, 1] {
        let _ = step.send(());
        wait_for_owner("release");
        still_waiting(
            &got_it,
            &format!(
                "while its owner still held it {left} deep (3 acquires, {} releases)",
                3 - left
            ),
        );
    }
    let _ = step.send(());
    wait_for_owner("release");
    let started = Instant::now();
    gets_it(&got_it, "after the owner's last release");
    timing::report!(
        "the waiting thread got the RLock {:.2} ms after the owner's third and last release",
        started.elapsed().as_secs_f64() * 1e3
    );
}

// timed: it asserts on wall-clock or CPU time
#[test]
fn a_thread_waiting_for_the_rlock_burns_no_cpu() {
    const WAIT: Duration = BLOCKED_FOR;
    let rlock = Arc::new(RLock::new());
    let (owned, is_owned) = mpsc::channel();
    let (free, set_free) = mpsc::channel::<()>();
    {
        let rlock = Arc::clone(&rlock);
        thread::spawn(move || {
            rlock.acquire();
            let _ = owned.send(());
            let _ = set_free.recv_timeout(LIMIT);
            let _ = rlock.release();
        });
    }
    is_owned
        .recv_timeout(LIMIT)
        .unwrap_or_else(|_| panic!("a thread could not acquire a free RLock. {NEVER_ENDS}"));
    let got_it = contender(&rlock);
    still_waiting(&got_it, "while another thread held it");
    let _ = free.send(());
    let cpu = gets_it(&got_it, "after its owner released it");
    timing::report!(
        "a thread waited {} ms for the RLock and used {:.2} ms of CPU meanwhile",
        WAIT.as_millis(),
        cpu.as_secs_f64() * 1e3
    );
    assert!(
        cpu < WAIT / 10,
        "a thread that waited {} ms for the RLock used {:.0} ms of CPU meanwhile: it checks in a loop \
         instead of sleeping. Wait on the `Condvar` (`wait` gives up the mutex and sleeps until \
         `notify_one`), in a `while` loop that checks the owner again after each wake-up.",
        WAIT.as_millis(),
        cpu.as_secs_f64() * 1e3
    );
}

// ---------------------------------------------------------------------------
// A plain Lock and a self-deadlock.
// ---------------------------------------------------------------------------

#[test]
fn a_plain_lock_lets_one_thread_in_at_a_time() {
    let (most, total) = within("`Lock` shared by 4 threads", || {
        let lock = Lock::new();
        let inside = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let total = AtomicUsize::new(0);
        thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..2_000 {
                        let _held = lock
                            .hold(LIMIT)
                            .expect("a lock released by its holders is taken");
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        // A read-modify-write in two steps: safe only under the lock.
                        let t = total.load(Ordering::Relaxed);
                        thread::yield_now();
                        total.store(t + 1, Ordering::Relaxed);
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                });
            }
        });
        (most.into_inner(), total.into_inner())
    });
    timing::report!(
        "4 threads x 2000 turns under the lock: {total} counted, at most {most} inside at once"
    );
    assert!(
        most == 1 && total == 8_000,
        "4 threads took the lock 2000 times each: at most {most} of them were inside at once \
         (expected 1) and {total} of 8000 updates survived. `acquire_timeout` must wait `while` \
         another thread holds the lock."
    );
    within("`Lock::release` of a free lock", || {
        let lock = Lock::new();
        let released = lock.release();
        assert!(
            released.is_err(),
            "releasing a plain Lock that nobody holds gave {released:?}: expected \
             Err(ReleaseUnlocked) (Python: RuntimeError: release unlocked lock)"
        );
    });
}

// timed: it asserts on wall-clock or CPU time
#[test]
fn reacquiring_a_plain_lock_on_the_same_thread_is_reported_not_hung() {
    let timeout = Duration::from_secs(2);
    let (first, second, took) = within("`Lock::acquire_timeout` twice on one thread", move || {
        let lock = Lock::new();
        let first = lock.acquire_timeout(timeout);
        let started = Instant::now();
        let second = lock.acquire_timeout(timeout);
        (first, second, started.elapsed())
    });
    timing::report!(
        "the second acquire on the same thread returned {second:?} after {:.2} ms",
        took.as_secs_f64() * 1e3
    );
    assert!(
        first.is_ok(),
        "acquiring a free Lock gave {first:?}: expected Ok(())"
    );
    assert!(
        second == Err(AcquireError::SelfDeadlock),
        "a thread that holds a plain Lock asked for it again and got {second:?} after {:.0} ms; \
         expected Err(SelfDeadlock): \"{}\". Compare the holder with `thread::current().id()` before \
         waiting.",
        took.as_secs_f64() * 1e3,
        AcquireError::SelfDeadlock
    );
    assert!(
        took < ms(500),
        "the self-deadlock was reported after {:.0} ms: it is known before any waiting (only this \
         thread could release the lock), so report it at once",
        took.as_secs_f64() * 1e3
    );
}

// timed: it asserts on wall-clock or CPU time
#[test]
fn a_timed_acquire_gives_up_while_another_thread_holds_the_lock() {
    let timeout = ms(150);
    let lock = Arc::new(Lock::new());
    let (held, is_held) = mpsc::channel();
    let (go, let_go) = mpsc::channel::<()>();
    {
        let lock = Arc::clone(&lock);
        thread::spawn(move || {
            let _held = lock.hold(LIMIT);
            let _ = held.send(());
            let _ = let_go.recv_timeout(LIMIT);
        });
    }
    is_held
        .recv_timeout(LIMIT)
        .unwrap_or_else(|_| panic!("a thread could not take a free Lock. {NEVER_ENDS}"));
    let (refused, took) = within("`Lock::acquire_timeout` of a busy lock", {
        let lock = Arc::clone(&lock);
        move || {
            let started = Instant::now();
            let refused = lock.acquire_timeout(timeout);
            (refused, started.elapsed())
        }
    });
    timing::report!(
        "a {} ms acquire of a lock another thread held returned {refused:?} after {:.1} ms",
        timeout.as_millis(),
        took.as_secs_f64() * 1e3
    );
    assert!(
        refused == Err(AcquireError::TimedOut(timeout)),
        "another thread held the Lock; a {} ms acquire returned {refused:?}; expected \
         Err(TimedOut({timeout:?})). SelfDeadlock is only for the thread that holds the lock itself.",
        timeout.as_millis()
    );
    assert!(
        took >= timeout && took < timeout + Duration::from_secs(2),
        "a {} ms acquire of a busy lock gave up after {:.1} ms: it should wait the whole timeout, \
         and not much longer",
        timeout.as_millis(),
        took.as_secs_f64() * 1e3
    );
    let _ = go.send(());
    let later = within("`Lock::acquire_timeout` once the holder let go", {
        let lock = Arc::clone(&lock);
        move || lock.acquire_timeout(LIMIT)
    });
    assert!(
        later.is_ok(),
        "once the holder released the Lock, an acquire gave {later:?}: expected Ok(()). Does \
         `release` notify the condvar?"
    );
}

// ---------------------------------------------------------------------------
// A check-then-act under the lock.
// ---------------------------------------------------------------------------

/// Threads that withdraw from one account at once, and withdrawals of 1 each.
const WITHDRAWERS: usize = 8;
const WITHDRAWALS: usize = 2_000;
/// What the account holds: less than the withdrawals asked, so some are refused.
const OPENING: u64 = 10_000;
/// The race repeats until it goes wrong, for this long (at least 3 rounds): when the
/// threads cannot run at the same time (one free core), an unlocked withdrawal goes wrong
/// only when a thread is switched out between its read and its write, which takes many
/// rounds to happen.
const ROUNDS_FOR: Duration = Duration::from_secs(2);
const MIN_ROUNDS: usize = 3;

/// What one round of `WITHDRAWERS` threads withdrawing from one account gave.
struct Round {
    paid: usize,
    refused: usize,
    balance: u64,
}

/// `WITHDRAWERS` threads, released together by a barrier, ask `WITHDRAWALS` times each to
/// withdraw 1 from an account of `OPENING`.
fn withdraw_round() -> Round {
    let account = Account::new(OPENING);
    let paid = AtomicUsize::new(0);
    let refused = AtomicUsize::new(0);
    let start = Barrier::new(WITHDRAWERS);
    thread::scope(|s| {
        for _ in 0..WITHDRAWERS {
            s.spawn(|| {
                start.wait();
                for _ in 0..WITHDRAWALS {
                    match account.withdraw(1, ms(2_000)) {
                        Ok(_) => paid.fetch_add(1, Ordering::Relaxed),
                        Err(WithdrawError::Insufficient { .. }) => {
                            refused.fetch_add(1, Ordering::Relaxed)
                        }
                        Err(e) => panic!(
                            "a withdrawal could not take the account's lock within 2 s ({e}). If \
                             it came after a refused one, the lock is still held after an early \
                             return: release on every path (Python: `with lock:`; Rust: a guard)."
                        ),
                    };
                }
            });
        }
    });
    Round {
        paid: paid.into_inner(),
        refused: refused.into_inner(),
        balance: account.balance(),
    }
}

#[test]
fn withdrawals_from_many_threads_never_overdraw() {
    // A check-then-act without the lock goes wrong only when two threads come between
    // each other's read and write: the race runs again and again, and the first round
    // that goes wrong fails the check.
    let asked = WITHDRAWERS * WITHDRAWALS;
    let (rounds, took, wrong) = within("`Account::withdraw` from 8 threads", move || {
        let started = Instant::now();
        let mut rounds = 0;
        while rounds < MIN_ROUNDS || started.elapsed() < ROUNDS_FOR {
            rounds += 1;
            let round = withdraw_round();
            if round.paid != OPENING as usize
                || round.refused != asked - OPENING as usize
                || round.balance != 0
            {
                return (rounds, started.elapsed(), Some(round));
            }
        }
        (rounds, started.elapsed(), None)
    });
    timing::report!(
        "{rounds} round(s) of {asked} withdrawals of 1 from {OPENING} by {WITHDRAWERS} threads \
         in {:.0} ms: {}",
        took.as_secs_f64() * 1e3,
        match &wrong {
            None => "every round exact".to_string(),
            Some(r) => format!(
                "round {rounds}: {} paid, {} refused, balance {}",
                r.paid, r.refused, r.balance
            ),
        }
    );
    if let Some(Round {
        paid,
        refused,
        balance,
    }) = wrong
    {
        let overdrawn = if paid > OPENING as usize {
            format!(
                " {} more withdrawals were paid than the account held: two threads read the same \
                 balance and both wrote back one less, so no lock around the check-then-act kept \
                 them apart.",
                paid - OPENING as usize
            )
        } else {
            String::new()
        };
        panic!(
            "{WITHDRAWERS} threads asked {WITHDRAWALS} times each to withdraw 1 from an account of \
             {OPENING}; in round {rounds}, {paid} were paid (expected {OPENING}), {refused} refused \
             (expected {}), balance {balance} (expected 0).{overdrawn} Hold the lock from reading \
             the balance to writing it back: `let _held = self.lock.hold(timeout)?;` first.",
            asked - OPENING as usize
        );
    }
}

#[test]
fn a_refused_withdrawal_releases_the_lock() {
    let account = Arc::new(Account::new(10));
    let first = within("`Account::withdraw` of more than the balance", {
        let account = Arc::clone(&account);
        move || account.withdraw(50, ms(500))
    });
    assert!(
        first
            == Err(WithdrawError::Insufficient {
                balance: 10,
                asked: 50
            }),
        "withdrawing 50 from an account of 10 gave {first:?}: expected \
         Err(Insufficient {{ balance: 10, asked: 50 }})"
    );
    // The next caller, on another thread, waits at most 500 ms for the lock.
    let next = within("`Account::withdraw` after a refused one", {
        let account = Arc::clone(&account);
        move || account.withdraw(3, ms(500))
    });
    assert!(
        !matches!(next, Err(WithdrawError::Lock(_))),
        "lock still held after an early return: release on every path (Python: `with lock:`; \
         Rust: a guard). After a refused withdrawal, the next one could not take the lock within \
         500 ms ({next:?}): the refusal returned without releasing it. Take it with \
         `self.lock.hold(timeout)?` and keep the guard until the function returns."
    );
    assert!(
        next == Ok(7),
        "withdrawing 3 from 10 after a refused withdrawal gave {next:?}: expected Ok(7)"
    );
}

// ---------------------------------------------------------------------------

/// Runs `work` on a helper thread and waits for it at most `LIMIT`.
fn within<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    match timing::bounded(LIMIT, work) {
        Ok(value) => value,
        Err(timing::StillRunning) => panic!(
            "{what} had not returned after {} s. {NEVER_ENDS}",
            LIMIT.as_secs()
        ),
    }
}
