//! Checks for exercise 10. They are compiled against your crate and against the
//! reference solution; do not edit them.
//!
//! No check can hang on a lock that is never released: every call into your code runs on
//! a helper thread that the check waits for at most `LIMIT`, and every wait for "the
//! other thread got the lock" is bounded. A thread stuck in your code is left behind and
//! the check fails with a message.
//!
//! The model's races are real: two Python threads of the course's model of CPython run
//! each program, and the count at the end says whether updates were lost. Besides the
//! chapter's programs, the checks race programs they make up for each run, so that only a
//! prediction that reads the bytecode can agree with them all.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use locks::{
    Account, AcquireError, AtomicCounter, Lock, MutexCounter, NotOwner, RLock, WithdrawError,
    can_lose_updates, programs, widen_races, with_lock,
};
use python_model::{CheckPoints, EventKind, Function, Instr, Interpreter, Program};
use timing::blocked_waiting;

/// How long one call into your code may take.
const LIMIT: Duration = Duration::from_secs(20);

/// How long a check waits for a thread to fall asleep before it looks whether it
/// returned; on an idle machine a blocked thread is asleep within a millisecond.
const SETTLE: Duration = Duration::from_millis(150);

/// How long the "sleeps" checks watch a waiting thread, and then the baseline.
const WATCH: Duration = Duration::from_millis(100);

const NEVER_ENDS: &str = "A lock that is never released, or a wait that is never woken, is the \
    usual cause: does every release wake a waiter, and does every path out release?";

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

// ---------------------------------------------------------------------------
// Races on the model.
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
            Python::V310 | Python::FreeThreaded => CheckPoints::BackEdgesAndCalls,
        }
    }

    /// A traced interpreter with a 0.1 ms switch interval, so that a race of a few
    /// milliseconds holds dozens of forced switches.
    fn interpreter(self) -> Interpreter {
        let builder = Interpreter::builder()
            .trace(true)
            .switch_interval(Duration::from_micros(100))
            .check_points(self.check_points());
        match self {
            Python::FreeThreaded => builder.free_threaded().build(),
            Python::V310 | Python::V39 => builder.build(),
        }
    }
}

/// Increments per thread in one piece of a race; a race runs pieces until it has seen
/// enough.
const PIECE: i64 = 150_000;

/// The same with a lock, which makes each increment slower.
const PIECE_LOCKED: i64 = 60_000;

/// A race with no lost update says "none can be lost" only after this many forced
/// switches between the two threads. (When a switch can fall inside an unguarded
/// read-modify-write, at least one in four does, and it loses the other thread's work:
/// 40 switches with none lost would happen less than once in 10^5 races.)
const MIN_SWITCHES: usize = 40;

/// Before a prediction of "can lose" is called wrong, the race goes on to this many.
const SURE_SWITCHES: usize = 400;

/// A race with the lock proves something only if the threads took turns (or met at the
/// lock) at least this often.
const MIN_MEETINGS: usize = 10;

/// How long one measurement may go on before it gives its verdict or says inconclusive.
const RACE_BUDGET: Duration = Duration::from_secs(3);

/// A program to race, the function the threads call, and how much each call adds to each
/// global: per turn of its loop, and once.
#[derive(Clone)]
struct Subject {
    program: Program,
    entry: String,
    increments: Vec<(String, i64, i64)>,
    /// The seed it was made from, for a program the checks made up.
    made_up: Option<u64>,
    /// For a made-up program, what kinds of statement it was made of.
    kinds: Kinds,
}

/// What a made-up program was made of, so that each run's set of programs is varied.
#[derive(Clone, Copy, Default)]
struct Kinds {
    /// A call between a read and its write, outside any lock.
    call_inside: bool,
    /// A lock of its own.
    own_lock: bool,
}

impl Subject {
    /// One of the chapter's programs: `counter` goes up by 1 per turn of the loop.
    fn chapter(name: &str) -> Subject {
        let program = match name {
            "add_in_place" => Program::add_in_place(),
            "add_with_call" => Program::add_with_call(),
            "call_first" => programs::call_first(),
            "read_call_write" => programs::read_call_write(),
            "lock_only_the_write" => programs::lock_only_the_write(),
            _ => unreachable!("no program {name}"),
        };
        Subject {
            program,
            entry: name.to_string(),
            increments: vec![("counter".to_string(), 1, 0)],
            made_up: None,
            kinds: Kinds::default(),
        }
    }

    /// The same subject, its program replaced (by `with_lock`'s).
    fn with_program(&self, program: Program) -> Subject {
        Subject {
            program,
            ..self.clone()
        }
    }

    /// The statements in the loop of its source (its lines joined by `; `).
    fn statement(&self) -> String {
        statement(&self.program)
    }

    /// Where to look, for a made-up program.
    fn origin(&self) -> String {
        match self.made_up {
            None => String::new(),
            Some(seed) => format!(
                " (a program made up for this run, from seed {seed}: only reasoning on its \
                 bytecode predicts it, not its text)"
            ),
        }
    }
}

/// The statements in the loop of a program's source (its lines joined by `; `).
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

/// What a race of two Python threads gave (summed over its pieces).
#[derive(Default)]
struct Race {
    expected: i64,
    counted: i64,
    /// Forced switches from one thread to the other.
    switches: usize,
    /// Times a thread found a model lock held by the other and waited for it.
    contended: usize,
}

impl Race {
    fn lost(&self) -> i64 {
        self.expected - self.counted
    }

    fn add(&mut self, other: Race) {
        self.expected += other.expected;
        self.counted += other.counted;
        self.switches += other.switches;
        self.contended += other.contended;
    }

    fn describe(&self, python: Python) -> String {
        let mut how = match python {
            Python::FreeThreaded => "with no GIL to switch".to_string(),
            Python::V310 | Python::V39 => format!("over {} thread switches", self.switches),
        };
        if self.contended > 0 {
            how += &format!(", {} waits for a lock", self.contended);
        }
        format!(
            "{} of {} updates lost ({:.1}%), {how}",
            self.lost(),
            self.expected,
            self.lost() as f64 * 100.0 / self.expected.max(1) as f64,
        )
    }
}

/// One piece of a race: `entry(per_thread)` on two Python threads at once.
fn race_piece(subject: &Subject, python: Python, per_thread: i64) -> Race {
    let what = format!("running `{}` on the model", subject.statement());
    let outcome = within(&what, {
        let subject = subject.clone();
        move || -> Result<Race, String> {
            let interp = python.interpreter();
            for (global, _, _) in &subject.increments {
                interp.globals().set(global, 0);
            }
            let program = Arc::new(subject.program.clone());
            let handles: Vec<_> = (0..2)
                .map(|i| {
                    let (program, entry) = (Arc::clone(&program), subject.entry.clone());
                    interp.spawn(&format!("adder-{i}"), move |py| {
                        py.call(&program, &entry, &[per_thread])
                    })
                })
                .collect();
            for handle in handles {
                match handle.join() {
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => return Err(e.to_string()),
                    Err(_) => return Err("a Python thread panicked".to_string()),
                }
            }
            let expected = subject
                .increments
                .iter()
                .map(|(_, each_turn, once)| 2 * (per_thread * each_turn + once))
                .sum();
            let counted = subject
                .increments
                .iter()
                .map(|(g, _, _)| interp.globals().get(g).unwrap_or(0))
                .sum();
            let (switches, contended) = interp.trace().map_or((0, 0), |log| {
                let switches = log.handoffs().iter().filter(|h| h.from != h.to).count();
                // An acquire of a lock that is held blocks, and a blocking call is traced.
                let contended = log
                    .events
                    .iter()
                    .filter(|e| e.kind == EventKind::BlockingStart)
                    .count();
                (switches, contended)
            });
            Ok(Race {
                expected,
                counted,
                switches,
                contended,
            })
        }
    });
    outcome.unwrap_or_else(|e| {
        panic!(
            "the model could not run `{}`: {e}. The program:\n{}",
            subject.statement(),
            subject.program
        )
    })
}

/// Races `subject` piece after piece until a piece loses an update, `enough` says the
/// race has shown enough, or `RACE_BUDGET` is spent.
fn race(
    subject: &Subject,
    python: Python,
    per_thread: i64,
    enough: impl Fn(&Race) -> bool,
) -> Race {
    let start = Instant::now();
    let mut total = Race::default();
    loop {
        total.add(race_piece(subject, python, per_thread));
        if total.lost() > 0 || enough(&total) || start.elapsed() > RACE_BUDGET {
            return total;
        }
    }
}

/// Predicts with your `can_lose_updates`, races on the model, and fails unless the two
/// agree. Returns the race.
fn predict_and_race(subject: &Subject, python: Python) -> Race {
    let stmt = subject.statement();
    let predicted = within("`can_lose_updates`", {
        let p = subject.program.clone();
        move || can_lose_updates(&p, python.check_points())
    });
    // A "can lose" prediction gets a longer race before it is called wrong.
    let need = if predicted {
        SURE_SWITCHES
    } else {
        MIN_SWITCHES
    };
    // A program with a lock of its own takes turns mostly at that lock (a thread that finds
    // it held gives the GIL to the other), and forced switches become rare: there, turns
    // taken at the lock count as well.
    let own_lock = !subject.program.locks().is_empty();
    let turns = move |r: &Race| r.switches + if own_lock { r.contended } else { 0 };
    // A "can lose" prediction needs forced switches, which land inside the unguarded
    // windows; a "none lost" one may count the turns taken at a lock as well.
    let race = race(subject, python, PIECE, |r| {
        if predicted {
            r.switches >= need
        } else {
            turns(r) >= need
        }
    });
    timing::report!(
        "`{stmt}` on {}: predicted {}, measured {}",
        python.name(),
        if predicted {
            "lost updates"
        } else {
            "none lost"
        },
        race.describe(python)
    );
    let evidence = if predicted {
        race.switches
    } else {
        turns(&race)
    };
    if race.lost() == 0 && evidence < MIN_SWITCHES {
        timing::inconclusive(format!(
            "the model's threads took turns only {} times while running `{stmt}` on {}: too few \
             to tell whether updates can be lost. This is the machine (too busy to let the two \
             threads take turns), not your code: run the check again.",
            evidence,
            python.name()
        ));
    }
    let lost = race.lost() > 0;
    assert!(
        predicted == lost,
        "`can_lose_updates` says `{stmt}` {} on {} ({:?}), but the model, running it on two threads, \
         measured {}{}. Look at which instructions lie between each read (LOAD_GLOBAL) and its write \
         (STORE_GLOBAL), and before which of them this Python can switch threads:\n{}",
        if predicted {
            "can lose updates"
        } else {
            "cannot lose updates"
        },
        python.name(),
        python.check_points(),
        race.describe(python),
        subject.origin(),
        subject.program
    );
    race
}

// step prediction: `can_lose_updates`, where the model of CPython can lose an update

/// `counter += 1` on CPython 3.10 and later, whose threads look at the eval breaker only
/// on function entry, at loops' back-edges and around calls.
// timed: the model's races need the cores to themselves (a busy core delays the GIL's switches)
#[test]
fn plus_equals_loses_nothing_when_only_calls_and_loops_check() {
    let race = predict_and_race(&Subject::chapter("add_in_place"), Python::V310);
    assert_eq!(race.lost(), 0);
}

/// `counter = counter + one()` on CPython 3.10 and later: `one`'s entry is a check point.
// timed: the model's races need the cores to themselves (a busy core delays the GIL's switches)
#[test]
fn a_call_between_the_read_and_the_write_loses_updates() {
    let race = predict_and_race(&Subject::chapter("add_with_call"), Python::V310);
    assert!(race.lost() > 0);
}

/// `counter += 1` on CPython 3.9, which looked at the eval breaker before (nearly)
/// every instruction.
// timed: the model's races need the cores to themselves (a busy core delays the GIL's switches)
#[test]
fn plus_equals_loses_updates_when_every_instruction_checks() {
    let race = predict_and_race(&Subject::chapter("add_in_place"), Python::V39);
    assert!(race.lost() > 0);
}

// timed: the model's races need the cores to themselves (a busy core delays the GIL's switches)
#[test]
fn the_prediction_matches_the_model_on_more_programs() {
    for python in [Python::V310, Python::V39] {
        for name in ["call_first", "read_call_write", "lock_only_the_write"] {
            predict_and_race(&Subject::chapter(name), python);
        }
    }
}

/// Programs made up for this run: other names, one to three statements in the loop, a
/// second global, sometimes a lock of their own.
// timed: the model's races need the cores to themselves (a busy core delays the GIL's switches)
#[test]
fn the_prediction_matches_the_model_on_generated_programs() {
    for subject in made_up_programs(seed()) {
        for python in [Python::V310, Python::V39] {
            predict_and_race(&subject, python);
        }
    }
}

// step with-lock: `with_lock`, `with lock:` around every read-modify-write

// timed: the model's races need the cores to themselves (a busy core delays the GIL's switches)
#[test]
fn with_lock_makes_every_count_exact() {
    let seed = seed();
    let subjects = [
        "add_in_place",
        "add_with_call",
        "call_first",
        "read_call_write",
        "lock_only_the_write",
    ]
    .map(Subject::chapter)
    .into_iter()
    .chain((0..2).map(|i| make_program(seed.wrapping_add(i))));
    for subject in subjects {
        let stmt = subject.statement();
        let locked = within("`with_lock`", {
            let p = subject.program.clone();
            move || with_lock(&p)
        });
        let locked = subject.with_program(locked);
        for python in [Python::V310, Python::V39, Python::FreeThreaded] {
            let predicted = within("`can_lose_updates`", {
                let p = locked.program.clone();
                move || can_lose_updates(&p, python.check_points())
            });
            assert!(
                !predicted,
                "`can_lose_updates` says that `{stmt}` with `with_lock`'s lock can still lose \
                 updates on {}: a read-modify-write between LOCK_ACQUIRE and LOCK_RELEASE cannot:\n{}",
                python.name(),
                locked.program
            );
            // An exact count proves the lock only if the threads met: under a GIL, at forced
            // switches or at the lock; with no GIL, at the lock, which is not fair (a thread
            // that lets it go can take it straight back), so a few waits are enough.
            let met = move |r: &Race| match python {
                Python::FreeThreaded => r.contended >= 3,
                Python::V310 | Python::V39 => r.switches + r.contended >= MIN_MEETINGS,
            };
            let race = race(&locked, python, PIECE_LOCKED, met);
            timing::report!(
                "`{stmt}` under `with_lock`'s lock on {}: {}",
                python.name(),
                race.describe(python)
            );
            if race.lost() == 0 && !met(&race) {
                timing::inconclusive(format!(
                    "while running `{stmt}` under `with_lock`'s lock on {}, the model's two threads \
                     took turns {} times and met at the lock {} times: too few to show that the lock \
                     keeps every update. This is the machine (too busy to run the two threads \
                     together), not your code: run the check again.",
                    python.name(),
                    race.switches,
                    race.contended
                ));
            }
            assert!(
                race.lost() == 0,
                "`{stmt}` under `with_lock`'s lock on {} still lost updates: {}{}. Does the lock \
                 cover each whole read-modify-write, from the LOAD_GLOBAL to the STORE_GLOBAL? \
                 Your program:\n{}",
                python.name(),
                race.describe(python),
                subject.origin(),
                locked.program
            );
        }
    }
}

#[test]
fn with_lock_covers_the_read_modify_write_and_no_more() {
    let seed = seed();
    let mut subjects: Vec<Subject> = [
        "add_with_call",
        "add_in_place",
        "call_first",
        "read_call_write",
        "lock_only_the_write",
    ]
    .map(Subject::chapter)
    .into();
    // Made-up programs: at least a dozen, two of them with an update before the loop, so
    // that an inserted instruction has the loop's jumps after it.
    let before_the_loop = |s: &Subject| {
        s.program
            .functions()
            .iter()
            .any(|f| matches!(f.code.get(1), Some(Instr::LoadGlobal(_))))
    };
    let mut made: Vec<Subject> = Vec::new();
    let mut i = 0;
    while made.len() < 12 || made.iter().filter(|s| before_the_loop(s)).count() < 2 {
        made.push(make_program(seed.wrapping_add(i)));
        i += 1;
    }
    subjects.extend(made);
    for subject in &subjects {
        let locked = within("`with_lock`", {
            let p = subject.program.clone();
            move || with_lock(&p)
        });
        if let Some(problem) = lock_placement_problem(&subject.program, &locked) {
            panic!(
                "`with_lock` on `{}`{}: {problem}. `with_lock` gave:\n{locked}",
                subject.statement(),
                subject.origin()
            );
        }
    }
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

/// What is wrong with where `with_lock` put its lock in `locked`, made from `plain`.
fn lock_placement_problem(plain: &Program, locked: &Program) -> Option<String> {
    let mut want_locks = plain.locks().to_vec();
    want_locks.push("lock".to_string());
    if locked.locks() != want_locks.as_slice() {
        return Some(format!(
            "its locks are {:?}; expected the program's own, then one new lock named \"lock\": {want_locks:?}",
            locked.locks()
        ));
    }
    if locked.globals() != plain.globals() || locked.source() != plain.source() {
        return Some(
            "it changed the program's globals or its source; only the code changes".into(),
        );
    }
    let new = u16::try_from(want_locks.len() - 1).expect("few locks");
    if locked.functions().len() != plain.functions().len() {
        return Some("it changed how many functions the program has".into());
    }
    for (before, after) in plain.functions().iter().zip(locked.functions()) {
        let name = &before.name;
        if (&after.name, after.params, &after.locals) != (name, before.params, &before.locals) {
            return Some(format!(
                "it changed the name, parameters or locals of `{name}`"
            ));
        }
        let code = &after.code;
        let spans = read_modify_writes(code);
        for (at, &instr) in code.iter().enumerate() {
            let covers_more = match instr {
                Instr::LockAcquire(l) if l == new => !spans.iter().any(|&(read, _)| read == at + 1),
                Instr::LockRelease(l) if l == new => {
                    !spans.iter().any(|&(_, write)| write + 1 == at)
                }
                _ => false,
            };
            if covers_more {
                let next = code.get(at + 1).map_or("the end", |i| i.opname());
                return Some(format!(
                    "in `{name}`, the new lock covers more than the read-modify-write: its {} at \
                     {at} {} ({}). `with lock:` goes around the read and the write only: a lock \
                     around the whole loop also keeps every count exact, but then one thread runs \
                     its whole loop while the other waits, and nothing runs at the same time",
                    instr.opname(),
                    if matches!(instr, Instr::LockAcquire(_)) {
                        "is not right before the LOAD_GLOBAL of a read-modify-write"
                    } else {
                        "is not right after the STORE_GLOBAL of a read-modify-write"
                    },
                    if matches!(instr, Instr::LockAcquire(_)) {
                        format!("it is followed by {next}")
                    } else {
                        format!(
                            "it comes after {}",
                            at.checked_sub(1).map_or("the start", |i| code[i].opname())
                        )
                    }
                ));
            }
        }
        for &(read, write) in &spans {
            let opened = read > 0 && code[read - 1] == Instr::LockAcquire(new);
            let closed = code.get(write + 1) == Some(&Instr::LockRelease(new));
            if !(opened && closed) {
                return Some(format!(
                    "in `{name}`, the read-modify-write from {read} ({}) to {write} ({}) is not \
                     inside the new lock: expected LOCK_ACQUIRE lock right before it and \
                     LOCK_RELEASE lock right after it",
                    code[read].opname(),
                    code[write].opname()
                ));
            }
        }
        if without_lock(code, new) != before.code {
            return Some(format!(
                "in `{name}`, more changed than the new lock's LOCK_ACQUIRE and LOCK_RELEASE: \
                 without them, the code (jumps included) must be what it was"
            ));
        }
    }
    None
}

/// Each `(read, write)` of `code`: a `LOAD_GLOBAL g` and the next `STORE_GLOBAL g` after it.
fn read_modify_writes(code: &[Instr]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    for (read, &instr) in code.iter().enumerate() {
        if let Instr::LoadGlobal(g) = instr
            && let Some(after) = code[read + 1..]
                .iter()
                .position(|&i| i == Instr::StoreGlobal(g))
        {
            spans.push((read, read + 1 + after));
        }
    }
    spans
}

/// `code` without the acquires and releases of lock `l`, its jumps moved back to match.
fn without_lock(code: &[Instr], l: u16) -> Vec<Instr> {
    let removed = |i: &Instr| matches!(*i, Instr::LockAcquire(x) | Instr::LockRelease(x) if x == l);
    // How many removed instructions come before each index.
    let mut before = Vec::with_capacity(code.len() + 1);
    let mut count = 0u32;
    for instr in code {
        before.push(count);
        count += u32::from(removed(instr));
    }
    before.push(count);
    let moved = |target: u32| target - before.get(target as usize).copied().unwrap_or(count);
    code.iter()
        .filter(|i| !removed(i))
        .map(|&i| match i {
            Instr::ForIter { exit } => Instr::ForIter { exit: moved(exit) },
            Instr::JumpBackward { target } => Instr::JumpBackward {
                target: moved(target),
            },
            other => other,
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Programs made up for each run.
// ---------------------------------------------------------------------------

/// A number that differs from run to run, so that no answer can be written down in advance.
fn seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    u64::from(nanos) ^ (u64::from(std::process::id()) << 32)
}

/// A small random number generator (xorshift), so a seed makes the same program again.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, names: &[&'a str]) -> &'a str {
        names[self.below(names.len())]
    }
}

/// A statement of a made-up loop body; the number is which of two globals it updates.
#[derive(Clone, Copy, PartialEq)]
enum Stmt {
    /// `g += 1`
    InPlace(u16),
    /// `g = g + f()`
    CallAfterRead(u16),
    /// `g = f() + g`
    CallFirst(u16),
    /// `x = g`, `f()`, `g = x + 1`
    KeepAcrossCall(u16),
    /// `x = g + 1`, `g = x`
    ReadThenWrite(u16),
    /// `f()`
    CallOnly,
    /// `with L:` around `g = g + f()`
    Locked(u16),
}

/// Makes a program from `seed`: a function `f` that returns 1, and an entry function
/// whose loop runs one to three statements on one or two globals. When it has a lock of
/// its own, every update is under that lock: beside an unguarded update, the two threads
/// take turns at the lock so regularly that the model almost never switches inside the
/// unguarded one, and no race could tell "can lose" from "none lost" (and a global
/// updated both ways can lose updates in ways no single read-modify-write shows).
fn make_program(seed: u64) -> Subject {
    let mut rng = Rng::new(seed);
    let first = rng.below(6);
    let globals_pool = ["hits", "total", "visits", "score", "tally", "seen"];
    let names = [
        globals_pool[first],
        globals_pool[(first + 1 + rng.below(5)) % 6],
    ];
    let callee = rng.pick(&["one", "unit", "step", "tick", "bump"]);
    let entry = rng.pick(&["work", "run", "spin", "task", "count_up"]);
    let lock = rng.pick(&["guard", "mutex", "door"]);
    let locked = rng.below(3) == 0;
    let wanted = 1 + rng.below(3);
    let mut stmts: Vec<Stmt> = Vec::new();
    while stmts.len() < wanted {
        let g = rng.below(2) as u16;
        if locked {
            // Every update under the program's own lock: see above.
            let stmt = if rng.below(3) == 0 && !stmts.contains(&Stmt::CallOnly) {
                Stmt::CallOnly
            } else {
                Stmt::Locked(g)
            };
            stmts.push(stmt);
            continue;
        }
        let stmt = match rng.below(7) {
            0 => Stmt::InPlace(g),
            1 => Stmt::CallAfterRead(g),
            2 => Stmt::CallFirst(g),
            3 => Stmt::KeepAcrossCall(g),
            4 => Stmt::ReadThenWrite(g),
            5 if !stmts.contains(&Stmt::CallOnly) => Stmt::CallOnly,
            5 => continue,
            _ => Stmt::CallAfterRead(g),
        };
        stmts.push(stmt);
    }
    if locked && !stmts.iter().any(|s| matches!(s, Stmt::Locked(_))) {
        let at = rng.below(stmts.len() + 1);
        stmts.insert(at, Stmt::Locked(0));
    }
    if stmts.iter().all(|s| *s == Stmt::CallOnly) {
        stmts.push(Stmt::InPlace(0));
    }
    // Sometimes one `g += 1` before the loop too, on a global no lock guards, so that an
    // instruction inserted there has the loop's jumps after it.
    // Only beside an unguarded update in the loop, which loses where the prologue can
    // (run once per thread, the prologue alone would almost never show its race).
    let unguarded = stmts
        .iter()
        .any(|s| !matches!(s, Stmt::CallOnly | Stmt::Locked(_)));
    let prologue: Option<u16> =
        (unguarded && rng.below(3) == 0).then(|| if locked { 1 } else { rng.below(2) as u16 });

    let global_of = |s: &Stmt| match *s {
        Stmt::InPlace(g)
        | Stmt::CallAfterRead(g)
        | Stmt::CallFirst(g)
        | Stmt::KeepAcrossCall(g)
        | Stmt::ReadThenWrite(g)
        | Stmt::Locked(g) => Some(g),
        Stmt::CallOnly => None,
    };
    // The globals in use, renumbered in order.
    let used: Vec<u16> = (0..2)
        .filter(|g| prologue == Some(*g) || stmts.iter().any(|s| global_of(s) == Some(*g)))
        .collect();
    let index = |g: u16| used.iter().position(|&u| u == g).expect("a used global") as u16;
    let name = |g: u16| names[usize::from(g)];
    let uses_x = stmts
        .iter()
        .any(|s| matches!(s, Stmt::KeepAcrossCall(_) | Stmt::ReadThenWrite(_)));

    let (f, x) = (0u16, 2u16);
    let call = Instr::Call {
        function: f,
        argc: 0,
    };
    let mut body = Vec::new();
    let mut lines = Vec::new();
    for s in &stmts {
        match *s {
            Stmt::InPlace(g) => {
                let (i, n) = (index(g), name(g));
                lines.push(format!("{n} += 1"));
                body.extend([
                    Instr::LoadGlobal(i),
                    Instr::LoadConst(1),
                    Instr::BinaryAdd,
                    Instr::StoreGlobal(i),
                ]);
            }
            Stmt::CallAfterRead(g) => {
                let (i, n) = (index(g), name(g));
                lines.push(format!("{n} = {n} + {callee}()"));
                body.extend([
                    Instr::LoadGlobal(i),
                    call,
                    Instr::BinaryAdd,
                    Instr::StoreGlobal(i),
                ]);
            }
            Stmt::CallFirst(g) => {
                let (i, n) = (index(g), name(g));
                lines.push(format!("{n} = {callee}() + {n}"));
                body.extend([
                    call,
                    Instr::LoadGlobal(i),
                    Instr::BinaryAdd,
                    Instr::StoreGlobal(i),
                ]);
            }
            Stmt::KeepAcrossCall(g) => {
                let (i, n) = (index(g), name(g));
                lines.extend([
                    format!("x = {n}"),
                    format!("{callee}()"),
                    format!("{n} = x + 1"),
                ]);
                body.extend([
                    Instr::LoadGlobal(i),
                    Instr::StoreFast(x),
                    call,
                    Instr::PopTop,
                    Instr::LoadFast(x),
                    Instr::LoadConst(1),
                    Instr::BinaryAdd,
                    Instr::StoreGlobal(i),
                ]);
            }
            Stmt::ReadThenWrite(g) => {
                let (i, n) = (index(g), name(g));
                lines.extend([format!("x = {n} + 1"), format!("{n} = x")]);
                body.extend([
                    Instr::LoadGlobal(i),
                    Instr::LoadConst(1),
                    Instr::BinaryAdd,
                    Instr::StoreFast(x),
                    Instr::LoadFast(x),
                    Instr::StoreGlobal(i),
                ]);
            }
            Stmt::CallOnly => {
                lines.push(format!("{callee}()"));
                body.extend([call, Instr::PopTop]);
            }
            Stmt::Locked(g) => {
                let (i, n) = (index(g), name(g));
                lines.extend([
                    format!("with {lock}:"),
                    format!("    {n} = {n} + {callee}()"),
                ]);
                body.extend([
                    Instr::LockAcquire(0),
                    Instr::LoadGlobal(i),
                    call,
                    Instr::BinaryAdd,
                    Instr::StoreGlobal(i),
                    Instr::LockRelease(0),
                ]);
            }
        }
    }
    let mut code = vec![Instr::Resume];
    if let Some(g) = prologue {
        let i = index(g);
        code.extend([
            Instr::LoadGlobal(i),
            Instr::LoadConst(1),
            Instr::BinaryAdd,
            Instr::StoreGlobal(i),
        ]);
    }
    let head = u32::try_from(code.len() + 2).expect("a short prologue");
    let exit = head + 2 + u32::try_from(body.len()).expect("a short body") + 1;
    code.extend([
        Instr::LoadFast(0),
        Instr::GetIter,
        Instr::ForIter { exit },
        Instr::StoreFast(1),
    ]);
    code.extend(body);
    code.extend([
        Instr::JumpBackward { target: head },
        Instr::LoadConst(0),
        Instr::ReturnValue,
    ]);

    let global_names: Vec<String> = used.iter().map(|&g| name(g).to_string()).collect();
    let mut source = String::new();
    if locked {
        source += "import threading\n\n";
    }
    for g in &global_names {
        source += &format!("{g} = 0\n");
    }
    if locked {
        source += &format!("{lock} = threading.Lock()\n");
    }
    source += &format!(
        "\ndef {callee}():\n    return 1\n\ndef {entry}(n):\n    global {}\n",
        global_names.join(", ")
    );
    if let Some(g) = prologue {
        source += &format!("    {} += 1\n", name(g));
    }
    source += "    for _ in range(n):\n";
    for line in &lines {
        source += &format!("        {line}\n");
    }
    let mut locals = vec!["n".to_string(), "_".to_string()];
    if uses_x {
        locals.push("x".to_string());
    }
    let functions = vec![
        Function {
            name: callee.to_string(),
            params: 0,
            locals: vec![],
            code: vec![Instr::Resume, Instr::LoadConst(1), Instr::ReturnValue],
        },
        Function {
            name: entry.to_string(),
            params: 1,
            locals,
            code,
        },
    ];
    let locks = if locked {
        vec![lock.to_string()]
    } else {
        vec![]
    };
    let program = Program::new(&source, global_names.clone(), locks, functions)
        .unwrap_or_else(|e| unreachable!("a made-up program is valid: {e}"));
    let increments = used
        .iter()
        .map(|&g| {
            let k = stmts.iter().filter(|s| global_of(s) == Some(g)).count();
            (
                name(g).to_string(),
                k as i64,
                i64::from(prologue == Some(g)),
            )
        })
        .collect();
    Subject {
        program,
        entry: entry.to_string(),
        increments,
        made_up: Some(seed),
        kinds: Kinds {
            call_inside: stmts
                .iter()
                .any(|s| matches!(s, Stmt::CallAfterRead(_) | Stmt::KeepAcrossCall(_))),
            own_lock: locked,
        },
    }
}

/// Five programs made up from `seed` on: varied enough that no fixed answer fits them
/// all (two with a call inside an unguarded update, one without, one with a lock of its
/// own), whatever the seed.
fn made_up_programs(seed: u64) -> Vec<Subject> {
    let mut pool = (0..).map(|i| make_program(seed.wrapping_add(i)));
    let mut pick = |wanted: &dyn Fn(Kinds) -> bool| {
        pool.by_ref()
            .take(1000)
            .find(|s| wanted(s.kinds))
            .expect("a thousand made-up programs hold every kind")
    };
    let mut programs = vec![
        pick(&|k| k.call_inside),
        pick(&|k| k.call_inside),
        pick(&|k| !k.call_inside && !k.own_lock),
        pick(&|k| k.own_lock),
        pick(&|_| true),
    ];
    // In no fixed order either.
    let turn = (seed % 5) as usize;
    programs.rotate_left(turn);
    programs
}

// step counters: `AtomicCounter` and `MutexCounter`

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
         got {count}. A load then a store is two steps another thread can come between: an \
         atomic read-modify-write is one."
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
         got {count}. Read and write the count through one guard of one lock."
    );
}

// step rlock: `RLock`, Python's re-entrant lock on a `Mutex` and a `Condvar`

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
         ({stranger:?}). Only the owner may release an RLock: compare the owner with the calling \
         thread and return Err(NotOwner) otherwise, as Python raises RuntimeError: cannot release \
         un-acquired lock."
    );
    assert_eq!(
        NotOwner.to_string(),
        "cannot release un-acquired lock",
        "the given `NotOwner` must read as Python's RuntimeError"
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

/// A thread that calls `rlock.acquire()`, sends when it got it, then releases it.
fn rlock_contender(rlock: &Arc<RLock>) -> (mpsc::Receiver<Instant>, mpsc::Receiver<Option<u32>>) {
    let (got, got_it) = mpsc::channel();
    let (tid, its_tid) = mpsc::channel();
    let rlock = Arc::clone(rlock);
    thread::Builder::new()
        .name("contender".into())
        .spawn(move || {
            let _ = tid.send(blocked_waiting::thread_id());
            rlock.acquire();
            let _ = got.send(Instant::now());
            let _ = rlock.release();
        })
        .expect("the system can start one more thread");
    (got_it, its_tid)
}

#[test]
fn another_thread_gets_the_rlock_only_after_the_last_release() {
    const PAUSE: Duration = Duration::from_millis(20);
    let rlock = Arc::new(RLock::new());
    let (step, next) = mpsc::channel::<()>();
    let (done, finished) = mpsc::channel();
    // The owner acquires 3 deep, then gives one level back at each step, noting when.
    {
        let rlock = Arc::clone(&rlock);
        thread::spawn(move || {
            for _ in 0..3 {
                rlock.acquire();
            }
            let _ = done.send(None);
            for _ in 0..3 {
                if next.recv_timeout(LIMIT).is_err() {
                    return;
                }
                let at = Instant::now();
                let _ = rlock.release();
                let _ = done.send(Some(at));
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
    let (got_it, its_tid) = rlock_contender(&rlock);
    if let Ok(Some(tid)) = its_tid.recv_timeout(LIMIT) {
        settle(&[tid], SETTLE);
    } else {
        thread::sleep(SETTLE);
    }
    let mut releases = Vec::new();
    for _ in 0..3 {
        let _ = step.send(());
        releases.push(wait_for_owner("release").unwrap_or_else(Instant::now));
        thread::sleep(PAUSE);
    }
    let got = match got_it.recv_timeout(LIMIT) {
        Ok(at) => at,
        Err(RecvTimeoutError::Timeout) => panic!(
            "another thread was still waiting for the RLock {} s after the owner's last release. \
             Does the last release free it (no owner) and wake a waiting thread?",
            LIMIT.as_secs()
        ),
        Err(RecvTimeoutError::Disconnected) => {
            panic!("the thread waiting for the RLock panicked; its message is above")
        }
    };
    let after = releases.iter().filter(|&&r| r < got).count();
    assert!(
        after == 3,
        "another thread got the RLock after {after} of the owner's 3 releases (it had acquired it \
         3 deep): other threads must wait until the owner's last release. Count the levels, and \
         free the lock only when the count is back to 0."
    );
    timing::report!(
        "the waiting thread got the RLock {:.2} ms after the owner's third and last release",
        got.duration_since(releases[2]).as_secs_f64() * 1e3
    );
}

// timed: it reads the waiting thread's CPU time and wake-ups
#[test]
fn a_thread_waiting_for_the_rlock_sleeps() {
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
    let (got_it, its_tid) = rlock_contender(&rlock);
    let tid = its_tid.recv_timeout(LIMIT).ok().flatten();
    let watched = tid.and_then(|tid| {
        settle(&[tid], SETTLE);
        blocked_waiting::watch(&[tid], WATCH)
    });
    let baseline = blocked_waiting::baseline(WATCH, None);
    if got_it.try_recv().is_ok() {
        panic!(
            "another thread acquired the RLock while its owner held it: other threads must wait \
             until the owner's last release"
        );
    }
    let _ = free.send(());
    if got_it.recv_timeout(LIMIT).is_err() {
        panic!(
            "the thread waiting for the RLock did not get it within {} s of its owner's release. \
             Does the last release wake a waiting thread?",
            LIMIT.as_secs()
        );
    }
    judge_waiting(
        watched,
        baseline,
        "the thread waiting for the RLock",
        "in `acquire`, sleep on the condition variable while another thread owns the lock",
    );
}

// step lock: a plain `Lock` with a timed acquire that reports a self-deadlock

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
                    for _ in 0..1_000 {
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
        "4 threads x 1000 turns under the lock: {total} counted, at most {most} inside at once"
    );
    assert!(
        most == 1 && total == 4_000,
        "4 threads took the lock 1000 times each: at most {most} of them were inside at once \
         (expected 1) and {total} of 4000 updates survived. `acquire_timeout` must wait while \
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
        if let Err(e) = released {
            assert_eq!(
                e.to_string(),
                "release unlocked lock",
                "the given error reads as Python's"
            );
        }
    });
}

// timed: it asserts on how long the second acquire took
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
         expected Err(SelfDeadlock): \"{}\". Compare the holder with the calling thread before \
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
    assert!(
        AcquireError::SelfDeadlock
            .to_string()
            .contains("already holds this lock"),
        "the given error's words"
    );
}

// timed: it compares how long a timed wait lasted with its timeout
#[test]
fn a_timed_acquire_gives_up_while_another_thread_holds_the_lock() {
    let timeout = ms(100);
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
         `release` wake a waiting thread?"
    );
}

// timed: it compares how long a timed wait lasted with its timeout
#[test]
fn a_timed_acquire_waits_again_after_a_stolen_wake_up() {
    // A thief holds the lock, and every few milliseconds releases it (which wakes the
    // waiter) and takes it straight back, before the woken waiter can run. The thief and
    // the waiter are kept on different CPUs (Linux): on one CPU the woken waiter would
    // often preempt the thief and win.
    //
    // What counts as evidence: the waiter times out on time while the lock was released
    // and taken again many times in the last `TIMEOUT` of its wait (less a margin). Those
    // steals all came after its wait began, so each one woke it, and it waited on. A waiter
    // that wins the released lock proves nothing (a version that waits once can win too):
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
        let lock = Arc::new(Lock::new());
        let (held, is_held) = mpsc::channel();
        let (waiting, is_waiting) = mpsc::channel::<()>();
        let (stop, stopped) = mpsc::channel::<()>();
        // True from the thief's successful take to just before its release.
        let thief_holds = Arc::new(AtomicBool::new(false));
        let thief = {
            let lock = Arc::clone(&lock);
            let thief_holds = Arc::clone(&thief_holds);
            thread::spawn(move || {
                timing::pin_current_thread(0);
                let took = lock.acquire_timeout(LIMIT).is_ok();
                thief_holds.store(took, Ordering::SeqCst);
                let _ = held.send(took);
                let _ = is_waiting.recv_timeout(LIMIT);
                let started = Instant::now();
                // When the lock was taken back, each time, after it had been released.
                let mut stolen_at = Vec::new();
                let mut holding = true;
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(STEAL_EVERY) {
                    if !holding || started.elapsed() > STEAL_FOR {
                        continue;
                    }
                    thief_holds.store(false, Ordering::SeqCst);
                    let _ = lock.release();
                    holding = lock.acquire_timeout(Duration::ZERO).is_ok();
                    if holding {
                        thief_holds.store(true, Ordering::SeqCst);
                        stolen_at.push(Instant::now());
                    }
                }
                if holding {
                    let _ = lock.release();
                }
                stolen_at
            })
        };
        if is_held.recv_timeout(LIMIT) != Ok(true) {
            panic!("a thread could not take a free Lock. {NEVER_ENDS}");
        }
        let (got, start, took, both_held) = within(
            "`Lock::acquire_timeout` while a thief takes the lock back",
            {
                let lock = Arc::clone(&lock);
                let thief_holds = Arc::clone(&thief_holds);
                move || {
                    timing::pin_current_thread(1);
                    let _ = waiting.send(());
                    let start = Instant::now();
                    let got = lock.acquire_timeout(TIMEOUT);
                    let took = start.elapsed();
                    // Holding the lock now, this thread must be the only one.
                    let both_held = got.is_ok() && thief_holds.load(Ordering::SeqCst);
                    (got, start, took, both_held)
                }
            },
        );
        let _ = stop.send(());
        let stolen_at = thief.join().expect("the thief does not panic");
        let window_start = (start + took).checked_sub(TIMEOUT).unwrap_or(start) + MARGIN;
        let late_steals = stolen_at
            .iter()
            .filter(|at| **at > window_start && **at < start + took)
            .count();
        timing::report!(
            "attempt {attempt}: acquire_timeout({TIMEOUT:?}) returned {got:?} after {:.0} ms, while \
             another thread released the lock and took it again {} times ({late_steals} in the \
             last {TIMEOUT:?} of the wait)",
            took.as_secs_f64() * 1e3,
            stolen_at.len()
        );
        assert!(
            !both_held,
            "`acquire_timeout({TIMEOUT:?})` returned Ok(()) after {:.0} ms while another thread \
             held the lock (it had released it and taken it straight back): two threads held the \
             lock at once. A wake-up is not the lock: after every wake-up, look again whether \
             the lock is free, and take it only then.",
            took.as_secs_f64() * 1e3
        );
        match got {
            // The waiter got to a released lock first: right, but a version that waits once
            // can do that too. Nothing was tested.
            Ok(()) => continue,
            Err(AcquireError::SelfDeadlock) => panic!(
                "`acquire_timeout` on a thread that does not hold the lock returned \
                 Err(SelfDeadlock): only the thread that holds it deadlocks itself"
            ),
            Err(AcquireError::TimedOut(_)) => {}
        }
        assert!(
            took >= TIMEOUT,
            "`acquire_timeout({TIMEOUT:?})` gave up after {:.0} ms, long before its timeout, while \
             another thread kept releasing the lock and taking it again ({} times): a \
             wake-up is not the end of the wait. When the lock was taken again before this thread \
             got to it, wait again for what is left until a deadline fixed before the first wait.",
            took.as_secs_f64() * 1e3,
            stolen_at.len()
        );
        assert!(
            took < TIMEOUT + LATE,
            "`acquire_timeout({TIMEOUT:?})` returned after {:.0} ms, while another thread released \
             the lock and took it again every {STEAL_EVERY:?} ({} times): each wake-up \
             started the whole timeout again. Fix the deadline before the first wait and wait for \
             what is left of it.",
            took.as_secs_f64() * 1e3,
            stolen_at.len()
        );
        if late_steals >= STEALS_NEEDED {
            return;
        }
    }
    timing::inconclusive(format!(
        "in {ATTEMPTS} attempts the waiting thread either won the released lock or the other \
         thread took the lock back fewer than {STEALS_NEEDED} times in the last {TIMEOUT:?} of \
         the wait: nothing was tested. This is the machine (too busy to run the other thread on \
         time), not your code: run the check again."
    ));
}

// timed: it reads the waiting thread's CPU time and wake-ups
#[test]
fn a_thread_waiting_for_the_lock_sleeps() {
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
    let (got, got_it) = mpsc::channel();
    let (tid, its_tid) = mpsc::channel();
    {
        let lock = Arc::clone(&lock);
        thread::spawn(move || {
            let _ = tid.send(blocked_waiting::thread_id());
            let result = lock.acquire_timeout(LIMIT);
            let _ = got.send(result);
            if result.is_ok() {
                let _ = lock.release();
            }
        });
    }
    let watched = its_tid.recv_timeout(LIMIT).ok().flatten().and_then(|tid| {
        settle(&[tid], SETTLE);
        blocked_waiting::watch(&[tid], WATCH)
    });
    let baseline = blocked_waiting::baseline(WATCH, None);
    if let Ok(early) = got_it.try_recv() {
        panic!(
            "`acquire_timeout` returned {early:?} while another thread held the lock, long before \
             its timeout: it must wait while the lock is held"
        );
    }
    let _ = go.send(());
    match got_it.recv_timeout(LIMIT) {
        Ok(Ok(())) => {}
        Ok(other) => panic!("once the holder released the Lock, a waiting acquire gave {other:?}"),
        Err(_) => panic!(
            "a thread waiting for the Lock did not get it within {} s of its release. Does \
             `release` wake a waiting thread?",
            LIMIT.as_secs()
        ),
    }
    judge_waiting(
        watched,
        baseline,
        "the thread waiting for the Lock",
        "in `acquire_timeout`, sleep on the condition variable (a timed wait for what is left of \
         the timeout) while another thread holds the lock",
    );
}

// step account: `Account`, a check-then-act under the lock, released on every path

/// Threads that withdraw from one account at once, and withdrawals of 1 each.
const WITHDRAWERS: usize = 8;
const WITHDRAWALS: usize = 150;
/// What the account holds: less than the withdrawals asked, so some are refused.
const OPENING: u64 = 600;
const ROUNDS: usize = 2;

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
    // Every read of the balance pauses a few microseconds (the given `Balance`), so a
    // withdrawal whose read and write are not both under the lock lets other threads in
    // between, every round, on any machine.
    widen_races(true);
    let asked = WITHDRAWERS * WITHDRAWALS;
    let (rounds, took, wrong) = within("`Account::withdraw` from 8 threads", move || {
        let started = Instant::now();
        for round in 1..=ROUNDS {
            let r = withdraw_round();
            if r.paid != OPENING as usize || r.refused != asked - OPENING as usize || r.balance != 0
            {
                return (round, started.elapsed(), Some(r));
            }
        }
        (ROUNDS, started.elapsed(), None)
    });
    widen_races(false);
    timing::report!(
        "{rounds} round(s) of {asked} withdrawals of 1 from {OPENING} by {WITHDRAWERS} threads, \
         every read of the balance pausing, in {:.0} ms: {}",
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
                 balance and both wrote back one less, so there was no lock around the whole \
                 check-then-act (the read, the comparison and the write).",
                paid - OPENING as usize
            )
        } else {
            String::new()
        };
        panic!(
            "{WITHDRAWERS} threads asked {WITHDRAWALS} times each to withdraw 1 from an account of \
             {OPENING}; in round {rounds}, {paid} were paid (expected {OPENING}), {refused} refused \
             (expected {}), balance {balance} (expected 0).{overdrawn} Candidates: the lock taken \
             after the read, or released before the write; the guard dropped at once (`let _ = \
             ….hold(..)` drops it on the spot, as Python's `lock.acquire(); lock.release()` \
             would: bind it to a name such as `_guard`). Take the lock before reading the \
             balance and hold it until the new balance is written.",
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
         `Lock::hold` and keep the guard until the function returns."
    );
    assert!(
        next == Ok(7),
        "withdrawing 3 from 10 after a refused withdrawal gave {next:?}: expected Ok(7)"
    );
    let balance = within("`Account::balance`", {
        let account = Arc::clone(&account);
        move || account.balance()
    });
    assert_eq!(
        balance, 7,
        "after withdrawing 3 from an account of 10, `balance()` says {balance}"
    );
    if let Err(refused) = first {
        assert_eq!(
            refused.to_string(),
            "cannot withdraw 50 from a balance of 10",
            "the given error's words"
        );
    }
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

/// Waits until the threads `tids` are asleep (or gone), or `patience` has passed: a
/// thread that blocks the right way falls asleep within microseconds.
fn settle(tids: &[u32], patience: Duration) {
    let start = Instant::now();
    let asleep = || {
        tids.iter()
            .all(|&t| blocked_waiting::scheduler_state(t).is_none_or(|s| s == 'S' || s == 'D'))
    };
    while start.elapsed() < patience {
        if asleep() {
            // Once more after a moment, so that a thread on its way into a wait is not
            // taken for one in it.
            thread::sleep(Duration::from_millis(2));
            if asleep() {
                return;
            }
        }
        thread::sleep(Duration::from_millis(1));
    }
}

/// Fails unless the watched waiter waited as the baseline thread did (asleep on a
/// `Condvar`); says inconclusive where the kernel does not tell.
fn judge_waiting(
    watched: Option<blocked_waiting::Observed>,
    baseline: Option<blocked_waiting::Observed>,
    who: &str,
    fix: &str,
) {
    let (Some(watched), Some(baseline)) = (watched, baseline) else {
        timing::inconclusive(
            "this system does not tell a thread's wake-ups and scheduler state (Linux's /proc): \
             whether the waiting thread slept was not measured",
        );
    };
    match watched.judge(&baseline, who) {
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
