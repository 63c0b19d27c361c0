//! Checks for exercise 02. They are compiled against your crate and against the
//! reference solution; do not edit them.
//!
//! Every call into your code runs on a helper thread and is waited for at most
//! `LIMIT`, so a loop that never ends fails with a message instead of hanging. The
//! floors write down every step served (who, which table, when, on which thread), and
//! the checks read that log: a [`StepClock`] in virtual time, a [`Kitchen`] in real time.

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;
use std::thread::{self, ThreadId};
use std::time::Duration;

use concurrency_vs_parallelism::floor::{lifetimes, most_in_progress_at_once, most_steps_at_once};
use concurrency_vs_parallelism::{
    Floor, Kitchen, Served, Service, Step, StepClock, round_robin, staff, three_tables, two_lines,
};

/// How long one call into your code may take before the check gives up on it.
const LIMIT: Duration = Duration::from_secs(30);

/// How long the first step in a [`Kitchen::waiting_for_company`] waits for the others.
const PATIENCE: Duration = Duration::from_secs(5);

/// How long one waiter serving the three tables takes, about, in the timed check.
const RUN: Duration = Duration::from_millis(30);

/// The speed-up of three waiters over one that the timed check requires. Three equal
/// tables on two free cores can go 2x faster (three tables' work in the time of one
/// and a half); measured on the course's 2-core machine in a debug build, with runs of
/// about 30 ms, the reference solution reached 2.07x to 2.16x, and waiters that take
/// turns (a thread joined right after it starts) 0.85x to 0.89x. 1.5x leaves room for
/// a neighbour that takes a slice of a core during the runs.
const SPEEDUP: f64 = 1.5;

/// Arithmetic per tick in the kitchens of the checks that only look at who served
/// when: a step takes well under a millisecond.
const LIGHT: u64 = 2_000;

// ---------------------------------------------------------------------------
// One waiter: concurrency
// ---------------------------------------------------------------------------

// step round-robin: `round_robin`, one worker taking turns between services on one thread

#[test]
fn one_waiter_log_matches_the_snapshot() {
    let clock = Arc::new(StepClock::new("waiter", "table"));
    within("`round_robin`", {
        let clock = Arc::clone(&clock);
        move || round_robin(&*clock, 1, &three_tables())
    });
    let log = clock.log();
    timing::report!(
        "one waiter: {} steps, at most {} at the same moment, {} tables in progress at \
         once, all served at t={}",
        log.len(),
        most_steps_at_once(&log),
        most_in_progress_at_once(&log),
        log.iter().map(|s| s.end).max().unwrap_or(0)
    );
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => "round_robin(&StepClock, 1, &three_tables()): the log of one waiter, in virtual ticks",
    }, {
        insta::assert_snapshot!("one_waiter", clock.render());
    });
}

#[test]
fn round_robin_takes_turns_in_order() {
    let mut rng = seeded("round_robin");
    for _ in 0..40 {
        let services = random_services(&mut rng, "table");
        let clock = Arc::new(StepClock::new("waiter", "table"));
        within("`round_robin`", {
            let (clock, services) = (Arc::clone(&clock), services.clone());
            move || round_robin(&*clock, 1, &services)
        });
        let got: Vec<String> = clock.log().iter().map(|s| s.step.clone()).collect();
        let expected = turns(&services);
        let start_to_finish: Vec<String> = services
            .iter()
            .flat_map(|s| s.steps.iter().map(|step| step.what.clone()))
            .collect();
        let why = if got == start_to_finish {
            " The waiter served one table at a time, start to finish, without taking turns."
        } else {
            ""
        };
        assert!(
            got == expected,
            "one waiter for {}: {}.{why} Look at `round_robin`: take the turn at the front of \
             the queue, serve one step, put the turn back at the end while its table has steps \
             left; a table with no steps left is skipped.",
            describe(&services),
            difference(&got, &expected)
        );
    }
}

#[test]
fn one_waiter_serves_one_step_at_a_time_on_one_thread() {
    let kitchen = Arc::new(Kitchen::new(LIGHT));
    let tables = three_tables();
    let caller = within("`round_robin`", {
        let (kitchen, tables) = (Arc::clone(&kitchen), tables.clone());
        move || {
            round_robin(&*kitchen, 1, &tables);
            thread::current().id()
        }
    });
    let log = kitchen.log();
    let steps: usize = tables.iter().map(|t| t.steps.len()).sum();
    assert!(
        log.len() == steps,
        "one waiter served {} steps of the three tables, expected all {steps}, each once. Look \
         at `round_robin`: every step of every service is served once, through `floor.serve`.",
        log.len()
    );
    let elsewhere = log.iter().filter(|s| s.thread != caller).count();
    assert!(
        elsewhere == 0,
        "{elsewhere} of the {steps} steps were served on another thread than the one that called \
         `round_robin`: one waiter is one thread. Look at `round_robin`: call `floor.serve` \
         right there, in the loop, without starting a thread."
    );
    let workers: BTreeSet<usize> = log.iter().map(|s| s.worker).collect();
    assert!(
        workers == BTreeSet::from([1]),
        "the steps were served by workers {workers:?}, expected waiter 1 only (the `worker` \
         argument). Look at `round_robin`: pass `worker` on to `floor.serve`."
    );
    let most = most_steps_at_once(&log);
    assert!(
        most == 1,
        "in real time, {most} steps were being served at the same moment; one waiter serves at \
         most one at a time"
    );
    timing::report!(
        "one waiter, real time: {steps} steps on 1 thread, at most 1 at the same moment"
    );
}

#[test]
fn one_waiter_keeps_all_three_tables_in_progress() {
    let clock = Arc::new(StepClock::new("waiter", "table"));
    within("`round_robin`", {
        let clock = Arc::clone(&clock);
        move || round_robin(&*clock, 1, &three_tables())
    });
    let log = clock.log();
    let steps_at_once = most_steps_at_once(&log);
    assert!(
        steps_at_once == 1,
        "one waiter served {steps_at_once} steps at the same moment; expected one at a time"
    );
    let lives = lifetimes(&log);
    let at_once = most_in_progress_at_once(&log);
    let shown: Vec<String> = lives
        .iter()
        .map(|(name, first, last)| format!("{name} from t={first} to t={last}"))
        .collect();
    timing::report!(
        "one waiter: at most 1 step at a time, {at_once} of {} tables in progress at \
         once ({})",
        lives.len(),
        shown.join(", ")
    );
    assert!(
        lives.len() == 3 && at_once == 3,
        "the tables were in progress as follows: {}; at most {at_once} at the same moment, expected all 3. \
         The waiter served one table at a time, start to finish, while the others waited with \
         not even their order taken: that is one job after another, not concurrency. Look at \
         `round_robin`: after one step of a table, put it back at the end of the queue and \
         move on to the next table.",
        shown.join(", ")
    );
}

// ---------------------------------------------------------------------------
// Several workers: parallelism
// ---------------------------------------------------------------------------

// step staff: `staff`, one thread per worker, all at work at the same time

#[test]
fn staff_gives_each_worker_its_share_on_a_thread_of_its_own() {
    let mut rng = seeded("staff");
    let mut cases = vec![(three_tables(), 3), (two_lines(), 2), (two_lines(), 1)];
    for _ in 0..30 {
        let workers = rng.usize(1..=4);
        cases.push((random_services(&mut rng, "table"), workers));
    }
    for (services, workers) in cases {
        let clock = Arc::new(StepClock::new("waiter", "table"));
        let caller = within("`staff`", {
            let (clock, services) = (Arc::clone(&clock), services.clone());
            move || {
                staff(&*clock, &services, workers);
                thread::current().id()
            }
        });
        let log = clock.log();
        let case = format!("{workers} worker(s) for {}", describe(&services));
        let strays: Vec<usize> = log
            .iter()
            .map(|s| s.worker)
            .filter(|&w| w == 0 || w > workers)
            .collect();
        assert!(
            strays.is_empty(),
            "{case}: steps were served by worker(s) {strays:?}; workers are numbered 1 to \
             {workers}. Look at `staff`: the first worker is number 1."
        );
        let mut thread_of: Vec<(usize, HashSet<ThreadId>)> = Vec::new();
        for w in 1..=workers {
            let threads: HashSet<ThreadId> = log
                .iter()
                .filter(|s| s.worker == w)
                .map(|s| s.thread)
                .collect();
            if !threads.is_empty() {
                thread_of.push((w, threads));
            }
        }
        for (w, threads) in &thread_of {
            assert!(
                threads.len() == 1,
                "{case}: worker {w} served its steps on {} different threads, expected one \
                 thread per worker: a worker is one thread, however many services it has. \
                 Look at `staff`: one thread per worker, serving the worker's whole share.",
                threads.len()
            );
        }
        let distinct: HashSet<ThreadId> = thread_of.iter().flat_map(|(_, t)| t.clone()).collect();
        assert!(
            distinct.len() == thread_of.len(),
            "{case}: {} workers served, but on only {} thread(s): workers shared a thread, so \
             they could only take turns. Look at `staff`: give every worker a thread of its own, \
             however many cores there are.",
            thread_of.len(),
            distinct.len()
        );
        if thread_of.len() >= 2 {
            assert!(
                !distinct.contains(&caller),
                "{case}: a worker served on the thread that called `staff`; every worker gets a \
                 thread of its own. Look at `staff`."
            );
        }
        for w in 1..=workers {
            let share: Vec<Service> = services
                .iter()
                .skip(w - 1)
                .step_by(workers)
                .cloned()
                .collect();
            let got: Vec<String> = log
                .iter()
                .filter(|s| s.worker == w)
                .map(|s| s.step.clone())
                .collect();
            let expected = turns(&share);
            assert!(
                got == expected,
                "{case}: worker {w} should serve services {} in turns; {}. Look at `staff`: \
                 worker {w} gets service {} (counting from 0) and every {workers}th service after \
                 it, and serves them with `round_robin` under its own number.",
                share_names(&share),
                difference(&got, &expected),
                w - 1
            );
        }
    }
}

#[test]
fn three_waiters_serve_at_the_same_moment() {
    let kitchen = Arc::new(Kitchen::waiting_for_company(LIGHT, 3, PATIENCE));
    within("`staff`", {
        let kitchen = Arc::clone(&kitchen);
        move || staff(&*kitchen, &three_tables(), 3)
    });
    let most = kitchen.most_at_once();
    let log = kitchen.log();
    let threads: HashSet<ThreadId> = log.iter().map(|s| s.thread).collect();
    timing::report!(
        "three waiters: at most {most} serving at the same moment (required 3), on {} \
         thread(s)",
        threads.len()
    );
    if most >= 3 {
        return;
    }
    let seen = if most <= 1 {
        "at most 1 waiter served at once: the three waiters ran one after another".to_string()
    } else {
        format!("at most {most} waiters served at once, expected all 3")
    };
    let waited = format!(
        "while the first step waited {} s for the other waiters to start a step beside it, {}",
        PATIENCE.as_secs(),
        if most <= 1 { "none did".to_string() } else { format!("only {} did", most - 1) }
    );
    let cause = if threads.len() < 3 {
        format!(
            "The steps were served on {} thread(s) for 3 waiters: waiters that share a thread take turns, \
             whatever the number of cores. Look at `staff`: one thread per worker.",
            threads.len()
        )
    } else {
        "Each waiter had a thread, but they were not at work together: a thread waited for right after \
         it starts is one waiter in disguise. Look at `staff`: start every worker's thread before \
         waiting for any of them; `thread::scope` waits for them all at its end."
            .to_string()
    };
    panic!("{seen}: {waited}. {cause}");
}

// timed: it compares run times (the timing crate)
#[test]
fn three_waiters_run_in_parallel_on_free_cores() {
    let tables = three_tables();
    // Sized on the check's own one-step-at-a-time loop, not on your code.
    let turns_per_tick = timing::size_work(RUN, |n| {
        let kitchen = Kitchen::new(n);
        for table in &tables {
            for step in &table.steps {
                kitchen.serve(1, table, step);
            }
        }
    });
    let kitchen = Kitchen::new(turns_per_tick);
    // Right answers first, within `LIMIT`, on a light kitchen.
    let light = Arc::new(Kitchen::new(LIGHT));
    within("`staff`", {
        let (light, tables) = (Arc::clone(&light), tables.clone());
        move || staff(&*light, &tables, 3)
    });
    let served = light.log().len();
    assert!(
        served == 12,
        "three waiters served {served} steps of the three tables, expected 12; \
         `staff_gives_each_worker_its_share_on_a_thread_of_its_own` says more"
    );
    timing::compare("three waiters vs one waiter, three tables")
        .baseline("one waiter", || round_robin(&kitchen, 1, &tables))
        .candidate("three waiters", || staff(&kitchen, &tables, 3))
        .needs_cores(2)
        .expect_candidate_faster(SPEEDUP)
        .expect_parallel(kitchen.activity(), 2)
        .hint(
            "If at most 1 worker ran at once, the three waiters ran one after another: one \
             waiter in disguise. Look at `staff`: start all three threads before waiting for any.",
        )
        .check();
}

// ---------------------------------------------------------------------------
// The checkout lines: one cashier, then two
// ---------------------------------------------------------------------------

#[test]
fn checkout_lines_log_matches_the_snapshot() {
    let one = Arc::new(StepClock::new("cashier", "line"));
    within("`round_robin`", {
        let one = Arc::clone(&one);
        move || round_robin(&*one, 1, &two_lines())
    });
    let two = Arc::new(StepClock::new("cashier", "line"));
    within("`staff`", {
        let two = Arc::clone(&two);
        move || staff(&*two, &two_lines(), 2)
    });
    let (one_log, two_log) = (one.log(), two.log());
    let end = |log: &[Served]| log.iter().map(|s| s.end).max().unwrap_or(0);
    timing::report!(
        "one cashier: both lines in progress at once, all served at t={}; two cashiers: \
         all served at t={} (virtual time)",
        end(&one_log),
        end(&two_log)
    );
    let text = format!(
        "one cashier, two lines:\n{}\n\ntwo cashiers, a line each:\n{}",
        one.render(),
        two.render()
    );
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => "round_robin(.., 1, &two_lines()), then staff(.., &two_lines(), 2), in virtual ticks",
    }, {
        insta::assert_snapshot!("checkout", text);
    });
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A random generator seeded from `CH02_SEED` if set, else at random; prints the seed.
fn seeded(what: &str) -> fastrand::Rng {
    let seed = std::env::var("CH02_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    println!("{what}: seed {seed} (run again with CH02_SEED={seed} to get the same tables)");
    fastrand::Rng::with_seed(seed)
}

/// 0 to 6 services of 0 to 5 steps each, every step named after its service.
fn random_services(rng: &mut fastrand::Rng, noun: &str) -> Vec<Service> {
    (1..=rng.usize(0..=6))
        .map(|n| {
            let steps = (1..=rng.usize(0..=5))
                .map(|k| Step::new(format!("{noun} {n} step {k}"), rng.u64(1..=3)))
                .collect();
            Service::new(format!("{noun} {n}"), steps)
        })
        .collect()
}

/// The steps in the order one worker taking turns serves them: the first step of every
/// service, then the second of every service that has one, and so on.
fn turns(services: &[Service]) -> Vec<String> {
    let longest = services.iter().map(|s| s.steps.len()).max().unwrap_or(0);
    (0..longest)
        .flat_map(|k| services.iter().filter_map(move |s| s.steps.get(k)))
        .map(|step| step.what.clone())
        .collect()
}

fn describe(services: &[Service]) -> String {
    if services.is_empty() {
        return "no tables".to_string();
    }
    let each: Vec<String> = services
        .iter()
        .map(|s| {
            let n = s.steps.len();
            format!("{} ({n} step{})", s.name, if n == 1 { "" } else { "s" })
        })
        .collect();
    each.join(", ")
}

fn share_names(share: &[Service]) -> String {
    if share.is_empty() {
        return "none".to_string();
    }
    share
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where the steps served differ from the steps expected, as a clause for a message.
fn difference(got: &[String], expected: &[String]) -> String {
    match got.iter().zip(expected).position(|(g, e)| g != e) {
        Some(i) => format!(
            "step {} served was \"{}\", expected \"{}\" (served so far: {})",
            i + 1,
            got[i],
            expected[i],
            got[..=i].join(", ")
        ),
        None if got.len() < expected.len() => format!(
            "it served {} steps, expected {}: \"{}\" and after it were never served",
            got.len(),
            expected.len(),
            expected[got.len()]
        ),
        None if got.len() > expected.len() => format!(
            "it served {} steps, expected {}: \"{}\" and after it are extra",
            got.len(),
            expected.len(),
            got[expected.len()]
        ),
        None => "the same steps".to_string(),
    }
}

/// Runs `work` on a helper thread named like the check and waits at most `LIMIT`.
/// A panic inside it (a `todo!()` in your code) is passed on as it is.
fn within<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    match timing::bounded(LIMIT, work) {
        Ok(value) => value,
        Err(timing::StillRunning) => panic!(
            "{what} had not returned after {} s. Does its loop end? A turn goes back in the \
             queue only while its table has steps left, and a thread started in `staff` must \
             be able to finish.",
            LIMIT.as_secs()
        ),
    }
}
