//! Checks for exercise 03. They are compiled against your crate and against the
//! reference solution; do not edit them.
//!
//! The tasks they classify live in `tests/tasks/mod.rs`: computing, sleeping, reading
//! a file, reading a FIFO, waiting for a loopback server, and mixes. Your code never
//! sees them. Around every call of your `measure`, the checks read the same clocks
//! themselves, so they know what the task really cost. A run in which the machine did
//! not let a task behave as designed (too busy, say) proves nothing: it is measured
//! again, and after three such runs the check says `[inconclusive]`.

mod tasks;

use std::ops::RangeInclusive;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use cpu_bound_vs_io_bound::{Class, Usage, classify, clocks, measure};
use tasks::Task;

/// How long one task with your `measure` may take before the check gives up on it.
const LIMIT: Duration = Duration::from_secs(20);

/// Runs of a task before a check that could not run it as designed gives up.
const ATTEMPTS: usize = 3;

/// How long the single tasks last, at least and at most: long enough that a few stray
/// microseconds (a page fault, a timer's slack) do not move their share. Each run picks
/// its length at random in between, so that no answer can hang on a task's length.
const TASK_LENGTHS: RangeInclusive<u64> = 60..=150;

/// A task length in `TASK_LENGTHS`, in milliseconds, at random (or from `CH03_SEED`).
fn task_length() -> Duration {
    Duration::from_millis(rng().u64(TASK_LENGTHS))
}

/// Random choices for this run, seeded from `CH03_SEED` if set, else at random; the
/// seed is printed so that a run can be repeated.
fn rng() -> std::sync::MutexGuard<'static, fastrand::Rng> {
    use std::sync::{Mutex, OnceLock, PoisonError};
    static RNG: OnceLock<Mutex<fastrand::Rng>> = OnceLock::new();
    RNG.get_or_init(|| {
        let seed = std::env::var("CH03_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| fastrand::u64(..));
        println!("seed {seed} (run again with CH03_SEED={seed} to get the same task lengths)");
        Mutex::new(fastrand::Rng::with_seed(seed))
    })
    .lock()
    .unwrap_or_else(PoisonError::into_inner)
}

// ---------------------------------------------------------------------------
// measure and cpu_share
// ---------------------------------------------------------------------------

// step measure: `measure`, the wall, CPU and run-queue clocks read around a task

// timed: it asserts on wall-clock or CPU time
#[test]
fn measure_reads_the_wall_cpu_and_queue_clocks_around_the_task() {
    // The task computes, sleeps and computes again, while another thread of this
    // process computes on the same core: the task waits for the CPU too.
    let outcome = within("`measure`", || {
        tasks::beside_a_busy_thread_on_the_same_core(|| {
            let process_before = process_cpu();
            let caller = thread::current().id();
            let outer = Clocks::now();
            let ((inner, ran_on), usage) = measure(|| {
                let start = Clocks::now();
                std::hint::black_box(tasks::burn(Duration::from_millis(40)));
                thread::sleep(Duration::from_millis(40));
                std::hint::black_box(tasks::burn(Duration::from_millis(40)));
                (start.elapsed(), thread::current().id())
            });
            let outer = outer.elapsed();
            (
                inner,
                usage,
                outer,
                process_cpu().saturating_sub(process_before),
                ran_on == caller,
            )
        })
    });
    let (inner, usage, outer, process, on_the_caller) = outcome.value;
    timing::report!(
        "the task ran {} (its own clocks); `measure` said {}; the whole call {}",
        show(&inner),
        show(&usage),
        show(&outer)
    );
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
    assert!(
        on_the_caller,
        "`measure` ran the task on another thread than the one that called it. The CPU and \
         run-queue clocks of `clocks.rs` are the calling thread's own: read around a task that runs \
         elsewhere, they see a thread that only waited ({} of CPU time, where the task computed for \
         {}). Look at `measure`: call the task right there, on the calling thread.",
        ms(usage.cpu),
        ms(inner.cpu)
    );
    assert!(
        usage.wall >= inner.wall && usage.wall <= outer.wall,
        "`measure` reported a wall time of {}, but the task itself ran for {} and the whole call \
         of `measure` took {}: the wall time is `Instant::now()` before the task, `.elapsed()` \
         after it. Look at `measure`.",
        ms(usage.wall),
        ms(inner.wall),
        ms(outer.wall)
    );
    assert!(
        usage.cpu <= outer.cpu,
        "`measure` reported {} of CPU time, but the thread that ran the task had only {} of CPU \
         time during the whole call of `measure`. {}Look at `measure`: `clocks::thread_cpu()` \
         before and after the task counts this thread only.",
        ms(usage.cpu),
        ms(outer.cpu),
        // The whole process, a thread computing beside the task on its core, can have had
        // about as much CPU time as the wall time: then either mistake fits.
        match (
            usage.cpu <= process + Duration::from_millis(2),
            usage.cpu.abs_diff(usage.wall) < Duration::from_millis(2),
        ) {
            (true, false) => {
                "Did you count the CPU time of the whole process (all its threads, like \
                 `getrusage` or Python's `time.process_time()`)? Another thread of this process \
                 was computing. "
            }
            (true, true) => {
                "Did you count the CPU time of the whole process (all its threads, like \
                 `getrusage` or Python's `time.process_time()`)? Another thread of this process \
                 was computing. (Or did you put the wall time in `cpu`? Here the two were about \
                 the same.) "
            }
            (false, true) => "Did you put the wall time in `cpu`? ",
            (false, false) => "",
        }
    );
    assert!(
        usage.cpu >= inner.cpu,
        "`measure` reported {} of CPU time, but the task itself computed for {}. Look at \
         `measure`: read `clocks::thread_cpu()` before the task and after it, on the thread that \
         runs it, and keep the difference.",
        ms(usage.cpu),
        ms(inner.cpu)
    );
    if !outcome.queue_visible {
        timing::inconclusive(
            "the wall and CPU clocks are read right, but this system does not report how long a \
             thread waits for a CPU (/proc/thread-self/schedstat), so `queued` cannot be checked",
        );
    }
    assert!(
        usage.queued >= inner.queued && usage.queued <= outer.queued,
        "`measure` reported {} in the run queue, but the task itself waited {} there for a \
         CPU (another thread was computing on its core) and the whole call {}. Look at \
         `measure`: `clocks::thread_queued()` before and after the task.",
        ms(usage.queued),
        ms(inner.queued),
        ms(outer.queued)
    );
}

// step cpu-share: `Usage::cpu_share`, the share of its own time a task computed

#[test]
fn cpu_share_leaves_out_time_spent_waiting_for_a_cpu() {
    // (wall, cpu, queued) in ms, the share, and what the case is about.
    let cases: [(u64, u64, u64, f64, &str); 7] = [
        (200, 200, 0, 1.0, "computed all the time"),
        (200, 0, 0, 0.0, "waited all the time"),
        (200, 50, 0, 0.25, "computed a quarter of the time"),
        (
            400,
            200,
            200,
            1.0,
            "computed, and waited for a CPU half of the time",
        ),
        (
            300,
            100,
            100,
            0.5,
            "computed, waited for I/O and waited for a CPU, equally",
        ),
        (
            100,
            101,
            0,
            1.0,
            "clocks read a hair apart: more CPU than wall time",
        ),
        (0, 0, 0, 0.0, "took no time at all"),
    ];
    for (wall, cpu, queued, expected, about) in cases {
        let usage = Usage {
            wall: Duration::from_millis(wall),
            cpu: Duration::from_millis(cpu),
            queued: Duration::from_millis(queued),
        };
        let share = within("`Usage::cpu_share`", move || usage.cpu_share()).value;
        let hint = if queued > 0 && (share - cpu as f64 / wall as f64).abs() < 1e-6 {
            " That is CPU time over wall time: the task also sat in a run queue, and waiting for a \
             CPU is not waiting for I/O. Divide by `wall - queued`."
        } else {
            ""
        };
        assert!(
            (share - expected).abs() < 1e-6,
            "a run with wall {wall} ms, cpu {cpu} ms, queued {queued} ms ({about}) got \
             `cpu_share` {share}, expected {expected}.{hint} Look at `Usage::cpu_share` in \
             share.rs: cpu / (wall - queued), 0.0 when that is zero, clamped to 0.0..=1.0."
        );
    }
    // Last, clocks read a hair apart the other way: more time queued than wall time.
    // A subtraction that underflows panics; that panic's own words would hide the cause,
    // so it is caught here, quietly, and explained.
    let skewed = Usage {
        wall: Duration::from_millis(10),
        cpu: Duration::ZERO,
        queued: Duration::from_millis(11),
    };
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let caught = within("`Usage::cpu_share`", move || std::panic::catch_unwind(move || skewed.cpu_share())).value;
    std::panic::set_hook(quiet);
    match caught {
        Ok(share) => assert!(
            share == 0.0,
            "a run with wall 10 ms, cpu 0 ms, queued 11 ms (clocks read a hair apart: more time \
             queued than wall time, so no time of its own) got `cpu_share` {share}, expected 0.0. \
             Look at `Usage::cpu_share` in share.rs."
        ),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("a panic without a message");
            panic!(
                "`cpu_share` panicked on a run with wall 10 ms, cpu 0 ms, queued 11 ms (clocks read a \
                 hair apart: more time queued than wall time): \"{message}\". Subtracting a larger \
                 `Duration` from a smaller one panics; `saturating_sub` stops at zero instead, and a \
                 run with no time of its own has a share of 0.0. Look at `Usage::cpu_share` in share.rs."
            );
        }
    }
}

// step classify: `classify`, CPU-bound, I/O-bound or mixed, on a hidden mix of tasks

/// The runs `classify_follows_the_cpu_share_not_the_wall_time` gives every share: its own
/// time (running or waiting for I/O), and whether it also waited as long again for a CPU.
const OWN_TIMES: [Duration; 3] = [
    Duration::from_millis(15),
    Duration::from_millis(150),
    Duration::from_millis(1500),
];

/// A run of a share in the words of a message: its own time, and its time queued.
fn run_name(own: Duration, queued: bool) -> String {
    let own = ms(own);
    if queued {
        format!("{own} + {own} queued")
    } else {
        own
    }
}

#[test]
fn classify_follows_the_cpu_share_not_the_wall_time() {
    // Each share is run at three lengths, each alone and behind as long again in a run
    // queue: only the share may decide the class, not the wall time, not the CPU time.
    let cases: [(f64, Class); 9] = [
        (1.0, Class::CpuBound),
        (0.97, Class::CpuBound),
        (0.9, Class::CpuBound),
        (0.0, Class::IoBound),
        (0.02, Class::IoBound),
        (0.1, Class::IoBound),
        (0.3, Class::Mixed),
        (0.5, Class::Mixed),
        (0.7, Class::Mixed),
    ];
    let runs: Vec<(Duration, bool)> = OWN_TIMES
        .iter()
        .flat_map(|&own| [(own, false), (own, true)])
        .collect();
    let usage = |share: f64, (own, queued): (Duration, bool)| Usage {
        wall: if queued { own * 2 } else { own },
        cpu: own.mul_f64(share),
        queued: if queued { own } else { Duration::ZERO },
    };
    // got[case][run]
    let got: Vec<Vec<Class>> = within("`classify`", {
        let runs = runs.clone();
        move || {
            cases
                .iter()
                .map(|&(share, _)| {
                    runs.iter()
                        .map(|&run| classify(&usage(share, run)))
                        .collect()
                })
                .collect()
        }
    })
    .value;
    for (&(share, _), classes) in cases.iter().zip(&got) {
        let all: Vec<String> = runs
            .iter()
            .zip(classes)
            .map(|(&(own, queued), class)| format!("{}: {class}", run_name(own, queued)))
            .collect();
        if classes.iter().all(|c| *c == classes[0]) {
            timing::report!(
                "cpu share {share:.2} -> {} in all {} runs",
                classes[0],
                runs.len()
            );
        } else {
            timing::report!("cpu share {share:.2} -> {}", all.join(", "));
        }
    }
    let thresholds = "Look at `classify` and its thresholds: the checks' tasks land at a share of \
                      0.9 or more (CPU-bound), 0.1 or less (I/O-bound) or between 0.3 and 0.7 \
                      (mixed).";
    // One class for every share of the same wall time: the wall time alone decides.
    if (0..runs.len()).all(|r| got.iter().all(|classes| classes[r] == got[0][r])) {
        let by_wall: Vec<String> = runs
            .iter()
            .zip(&got[0])
            .map(|(&run, class)| format!("{class} at {}", ms(usage(0.0, run).wall)))
            .collect();
        panic!(
            "`classify` gave every run of the same wall time the same class ({}), though their CPU \
             time went from none to all of it. Does it return one class whatever the usage, or \
             classify by wall time alone? A sleeping task and a computing task take just as long; \
             compare CPU time with wall time (`usage.cpu_share()`). {thresholds}",
            by_wall.join(", ")
        );
    }
    for (&(share, expected), classes) in cases.iter().zip(&got) {
        let Some(wrong) = classes.iter().position(|c| *c != expected) else {
            continue;
        };
        let (own, queued) = runs[wrong];
        let class = classes[wrong];
        let bad = usage(share, runs[wrong]);
        let this_run = format!(
            "a run of {} wall time, {} CPU time and {} queued for a CPU (cpu share {share:.2}) got \
             {class}, expected {expected}",
            ms(bad.wall),
            ms(bad.cpu),
            ms(bad.queued)
        );
        // The same share, alone in its core, at each length.
        let alone: Vec<(Duration, Class)> = runs
            .iter()
            .zip(classes)
            .filter(|((_, q), _)| !q)
            .map(|(&(own, _), &c)| (own, c))
            .collect();
        if alone.iter().any(|(_, c)| *c != alone[0].1) {
            let lengths: Vec<String> = alone
                .iter()
                .map(|(own, c)| format!("{c} at {}", ms(*own)))
                .collect();
            panic!(
                "classified by CPU milliseconds, not by the share of wall time: runs with the same \
                 cpu share {share:.2} got {} (expected {expected} at every length). A task that \
                 computes for 15 ms out of 15 ms is as CPU-bound as one that computes for 1.5 s out \
                 of 1.5 s: compare the share (`usage.cpu_share()`) with your thresholds, never the \
                 CPU time itself. ({this_run}.) {thresholds}",
                lengths.join(", ")
            );
        }
        if queued {
            let alone_class = classes[wrong - 1];
            panic!(
                "{this_run}; the same run without the {} in the run queue got {alone_class}. Time \
                 spent waiting for a CPU is not waiting for I/O: does `cpu_share` (or `classify`) \
                 divide by the wall time instead of `wall - queued`? Make \
                 `cpu_share_leaves_out_time_spent_waiting_for_a_cpu` pass first.",
                ms(own)
            );
        }
        panic!("{this_run}. {thresholds}");
    }
}

// ---------------------------------------------------------------------------
// The task mix
// ---------------------------------------------------------------------------

#[test]
fn computing_is_cpu_bound() {
    let length = task_length();
    expect_class(move || tasks::spin(length), Company::Alone);
}

#[test]
fn sleeping_is_io_bound() {
    let length = task_length();
    expect_class(move || tasks::sleep(length), Company::Alone);
}

#[test]
fn reading_a_file_in_the_page_cache_is_cpu_bound() {
    let length = task_length();
    expect_class(move || tasks::cached_file(length), Company::Alone);
}

#[test]
fn reading_a_slowly_fed_fifo_is_io_bound() {
    let (chunks, every) = {
        let mut rng = rng();
        (rng.usize(6..=12), Duration::from_millis(rng.u64(10..=20)))
    };
    expect_class(move || tasks::slow_fifo(chunks, every), Company::Alone);
}

#[test]
fn waiting_for_a_loopback_server_is_io_bound() {
    let (pages, delay) = {
        let mut rng = rng();
        (rng.usize(3..=6), Duration::from_millis(rng.u64(20..=40)))
    };
    expect_class(move || tasks::loopback(pages, delay), Company::Alone);
}

#[test]
fn computing_then_sleeping_is_mixed() {
    let length = task_length();
    expect_class(move || tasks::spin_then_sleep(length / 2, length / 2), Company::Alone);
}

#[test]
fn fetching_then_hashing_is_mixed() {
    let (pages, each) = {
        let mut rng = rng();
        (rng.usize(2..=3), Duration::from_millis(rng.u64(25..=40)))
    };
    expect_class(move || tasks::fetch_then_hash(pages, each, each), Company::Alone);
}

// timed: it asserts on wall-clock or CPU time
#[test]
fn computing_while_sharing_a_core_is_still_cpu_bound() {
    if !clocks::can_see_queue() {
        timing::inconclusive(
            "this system does not report how long a thread waits for a CPU \
             (/proc/thread-self/schedstat), so a task that shares its core cannot be told from \
             one that waits for I/O",
        );
    }
    let length = task_length();
    expect_class(move || tasks::spin(length), Company::SharingACore);
}

// timed: it asserts on wall-clock or CPU time
#[test]
fn a_sleep_and_a_computation_of_equal_length_differ() {
    let length = task_length();
    // First on paper: the same wall time, all of it computing or none of it. A rule that
    // reads the wall time alone gives both one class, whatever its threshold.
    let computed = Usage { wall: length, cpu: length, queued: Duration::ZERO };
    let slept = Usage { wall: length, cpu: Duration::ZERO, queued: Duration::ZERO };
    let (computed_class, slept_class) = within("`classify`", move || {
        (classify(&computed), classify(&slept))
    })
    .value;
    assert!(
        computed_class != slept_class,
        "`classify` gave {computed_class} both to a run that computed for all of its {} ms and to \
         one that computed for none of them. Did you classify by wall time alone? Compare CPU \
         time with wall time (`usage.cpu_share()`). Look at `classify`.",
        length.as_millis()
    );
    for _ in 0..ATTEMPTS {
        let spin = within("`measure`", move || run(tasks::spin(length))).value;
        let sleep = within("`measure`", move || run(tasks::sleep(length))).value;
        spin.report();
        sleep.report();
        spin.expect_on_the_caller();
        sleep.expect_on_the_caller();
        if !spin.as_designed() || !sleep.as_designed() {
            continue;
        }
        if spin.class == sleep.class {
            panic!(
                "a task that computed ({} of CPU time in {} of wall time) and one that slept ({} \
                 of wall time, {} of CPU time) both got {}. Did you classify by wall time alone? \
                 On a quiet machine both take {} ms; compare CPU time with wall time \
                 (`usage.cpu_share()`). Look at `classify`.",
                ms(spin.truth.cpu),
                ms(spin.truth.wall),
                ms(sleep.truth.wall),
                ms(sleep.truth.cpu),
                spin.class,
                length.as_millis()
            );
        }
        spin.expect_right_class();
        sleep.expect_right_class();
        return;
    }
    could_not_run_as_designed("computing and sleeping");
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Whether the task runs alone or beside a thread that computes on the same core.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Company {
    Alone,
    SharingACore,
}

/// One run of a task through your `measure`, `cpu_share` and `classify`, with what the
/// checks' own clocks saw around it.
struct Run {
    task: String,
    expected: Class,
    designed: RangeInclusive<f64>,
    /// What your `measure` reported.
    usage: Usage,
    /// Your `cpu_share` of it.
    share: f64,
    /// Your `classify` of it.
    class: Class,
    /// The checks' own reading of the same clocks around the call of `measure`.
    truth: Usage,
    queue_visible: bool,
    /// Whether the task ran on the thread that called `measure`.
    on_the_caller: bool,
}

impl Run {
    /// Fails unless the task ran on the thread that called `measure`.
    fn expect_on_the_caller(&self) {
        assert!(
            self.on_the_caller,
            "`measure` ran the task \"{}\" on another thread than the one that called it, so the \
             clocks it read (the calling thread's) saw a thread that waited: {}, {}. Look at \
             `measure`: call the task right there, on the calling thread.",
            self.task,
            show(&self.usage),
            self.class
        );
    }

    fn truth_share(&self) -> f64 {
        share_of(&self.truth)
    }

    fn as_designed(&self) -> bool {
        self.designed.contains(&self.truth_share())
    }

    fn report(&self) {
        timing::report!(
            "{}: {} -> cpu share {:.2}, {} (expected {})",
            self.task,
            show(&self.usage),
            self.share,
            self.class,
            self.expected
        );
    }

    /// Panics with what went wrong, and where, unless the class is right.
    fn expect_right_class(&self) {
        if self.class == self.expected {
            return;
        }
        let (usage, truth) = (&self.usage, &self.truth);
        let reference = share_of(usage);
        let got = format!(
            "The task \"{}\" got {}, expected {}.",
            self.task, self.class, self.expected
        );
        if usage.wall > truth.wall || usage.wall < truth.wall.mul_f64(0.9) {
            panic!(
                "{got} `measure` reported a wall time of {}, but the call took {}. Look at \
                 `measure`: `Instant::now()` before the task, `.elapsed()` after it.",
                ms(usage.wall),
                ms(truth.wall)
            );
        }
        if usage.cpu > truth.cpu + Duration::from_millis(1)
            || usage.cpu + Duration::from_millis(1) < truth.cpu.mul_f64(0.9)
        {
            panic!(
                "{got} `measure` reported {} of CPU time, but the thread had {} during the call. \
                 Look at `measure`: `clocks::thread_cpu()` before and after the task.",
                ms(usage.cpu),
                ms(truth.cpu)
            );
        }
        if self.queue_visible
            && truth.queued > Duration::from_millis(5)
            && usage.queued < truth.queued.mul_f64(0.5)
        {
            panic!(
                "{got} `measure` reported {} in the run queue, but the thread waited {} for a CPU \
                 during the call. Look at `measure`: `clocks::thread_queued()` before and after \
                 the task.",
                ms(usage.queued),
                ms(truth.queued)
            );
        }
        if (self.share - reference).abs() > 0.02 {
            let plain = usage.cpu.as_secs_f64() / usage.wall.as_secs_f64().max(1e-9);
            let hint = if usage.queued > Duration::from_millis(5)
                && (self.share - plain).abs() < 0.02
            {
                format!(
                    " That is CPU time over wall time, but {} of the wall time the task sat in a \
                     run queue: waiting for a CPU is not waiting for I/O. Divide by `wall - queued`.",
                    ms(usage.queued)
                )
            } else {
                String::new()
            };
            panic!(
                "{got} Its usage ({}) has a CPU share of {reference:.2}, but `cpu_share` gave \
                 {:.2}.{hint} Look at `Usage::cpu_share`.",
                show(usage),
                self.share
            );
        }
        panic!(
            "{got} Its usage ({}) has a CPU share of {:.2}. Look at `classify` and its \
             thresholds: the checks' tasks land at a share of 0.9 or more (CPU-bound), 0.1 or \
             less (I/O-bound) or between 0.3 and 0.7 (mixed).",
            show(usage),
            self.share
        );
    }
}

/// The CPU share by the definition of `Usage::cpu_share`, computed by the checks.
fn share_of(usage: &Usage) -> f64 {
    let own = usage.wall.saturating_sub(usage.queued);
    if own.is_zero() {
        return 0.0;
    }
    (usage.cpu.as_secs_f64() / own.as_secs_f64()).clamp(0.0, 1.0)
}

/// Builds the task, runs it (up to `ATTEMPTS` times, until it ran as designed) and
/// fails unless your code gave it its class.
fn expect_class(build: impl Fn() -> Task + Send + Sync + 'static, company: Company) {
    let build = Arc::new(build);
    let mut name = String::new();
    for _ in 0..ATTEMPTS {
        let build = Arc::clone(&build);
        let outcome = within("`measure`", move || match company {
            Company::Alone => run(build()),
            Company::SharingACore => tasks::beside_a_busy_thread_on_the_same_core(|| run(build())),
        });
        let result = outcome.value;
        result.report();
        name.clone_from(&result.task);
        result.expect_on_the_caller();
        if company == Company::SharingACore && result.truth.queued < result.truth.wall.mul_f64(0.3)
        {
            timing::report!(
                "the task waited only {} of {} for a CPU: it did not share its core; \
                 measuring again",
                ms(result.truth.queued),
                ms(result.truth.wall)
            );
            continue;
        }
        if !result.as_designed() {
            timing::report!(
                "the checks' clocks saw a CPU share of {:.2} ({}), outside the {:.1} to \
                 {:.1} this task is designed for: the machine did not let it run as designed; \
                 measuring again",
                result.truth_share(),
                show(&result.truth),
                result.designed.start(),
                result.designed.end()
            );
            continue;
        }
        result.expect_right_class();
        return;
    }
    could_not_run_as_designed(&name);
}

fn could_not_run_as_designed(name: &str) -> ! {
    timing::inconclusive(format!(
        "the task \"{name}\" did not run as designed in {ATTEMPTS} tries (free cores right now: \
         {:.2} of {}): the machine is too busy, or its page cache too small",
        timing::free_cores(),
        timing::available_cores()
    ))
}

/// Runs a task through your code on the calling thread, with the checks' own clocks
/// read around it; drops what the task left behind afterwards.
fn run(task: Task) -> Run {
    let Task {
        name,
        expected,
        designed,
        run: work,
    } = task;
    let caller = thread::current().id();
    let outer = Clocks::now();
    let ((leftovers, ran_on), usage) = measure(move || (work(), thread::current().id()));
    let truth = outer.elapsed();
    drop(leftovers);
    let share = usage.cpu_share();
    let class = classify(&usage);
    Run {
        task: name,
        expected,
        designed,
        usage,
        share,
        class,
        truth,
        queue_visible: clocks::can_see_queue(),
        on_the_caller: ran_on == caller,
    }
}

/// The calling thread's three clocks at one moment.
struct Clocks {
    wall: Instant,
    cpu: Duration,
    queued: Duration,
}

impl Clocks {
    fn now() -> Clocks {
        let queued = clocks::thread_queued();
        let cpu = clocks::thread_cpu();
        Clocks {
            wall: Instant::now(),
            cpu,
            queued,
        }
    }

    fn elapsed(&self) -> Usage {
        let wall = self.wall.elapsed();
        Usage {
            wall,
            cpu: clocks::thread_cpu().saturating_sub(self.cpu),
            queued: clocks::thread_queued().saturating_sub(self.queued),
        }
    }
}

/// A value computed on a helper thread, and whether that thread could see its
/// run-queue clock.
struct Outcome<T> {
    value: T,
    queue_visible: bool,
}

/// Runs `work` on a fresh thread and waits at most `LIMIT` for it; a panic there (a
/// `todo!()`) is raised again here.
fn within<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> Outcome<T> {
    let work = move || Outcome {
        value: work(),
        queue_visible: clocks::can_see_queue(),
    };
    match timing::bounded(LIMIT, work) {
        Ok(outcome) => outcome,
        Err(timing::StillRunning) => panic!(
            "{what} had not returned after {} s. Does it run the task more than once, or wait \
             for something that never comes?",
            LIMIT.as_secs()
        ),
    }
}

/// The CPU time of this whole process, all its threads.
fn process_cpu() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to fill.
    if unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn show(usage: &Usage) -> String {
    format!(
        "wall {}, cpu {}, queued {}",
        ms(usage.wall),
        ms(usage.cpu),
        ms(usage.queued)
    )
}
