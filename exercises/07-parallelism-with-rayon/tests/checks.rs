//! Checks for exercise 07. They are compiled against your crate and against the
//! reference solution; do not edit them.
//!
//! They come in four steps, in the order to write the code: `hash_all`, `sum_with_join`,
//! `histogram`, then Amdahl's law.
//!
//! Every first call into your code runs on a helper thread and is waited for at most
//! `LIMIT`, so a version that never returns fails with a message instead of hanging.
//! The work is `Work::hash`, which records every call: the checks see how many calls
//! ran at once and on which CPUs, beside how long your version took.

use std::time::Duration;

use parallelism_with_rayon::{
    BUCKETS, GilThreads, Histogram, LEAF, Work, amdahl_speedup, hash_all, hash_all_sequential,
    histogram, histogram_sequential, parallel_fraction, sum_sequential, sum_with_join,
};

/// How long one call into your code may take before the check gives up on it.
const LIMIT: Duration = Duration::from_secs(30);

/// How long the first call of `work.hash` waits for the others to start beside it.
const PATIENCE: Duration = Duration::from_secs(3);

/// The rayon pool the structural checks run your code in: more threads than this
/// machine has cores, so that a version whose parallelism stops at the core count
/// (two halves, two threads) shows up on any machine.
const POOL_THREADS: usize = 8;

/// How many calls of `work.hash` must be running at the same moment in that pool.
const AT_ONCE: usize = 4;

/// How long the sequential version of a timed check takes, at least (one run of it
/// takes from this to twice this).
const RUN: Duration = Duration::from_millis(25);

/// The speed-up on two free cores that a timed check requires. Measured on the
/// course's 2-core machine (debug build, as the checks run): the reference solution
/// reached 1.91x to 2.01x over the sequential version, over the Python threads and
/// from a rayon pool of 1 thread to 2, and a version with `.iter()` 1.00x. 1.5x
/// leaves room for a neighbour that takes a slice of a core during the runs.
const SPEEDUP: f64 = 1.5;

/// Sizes the correctness checks try: empty, tiny, around `LEAF`, odd, large.
const SIZES: [usize; 12] = [
    0,
    1,
    2,
    3,
    LEAF - 1,
    LEAF,
    LEAF + 1,
    2 * LEAF + 1,
    100,
    257,
    1000,
    1023,
];

// step map: `hash_all`, a map with `par_iter`

#[test]
fn hash_all_matches_the_sequential_version() {
    let mut rng = seeded("hash_all");
    for n in SIZES {
        let items = random_items(&mut rng, n);
        let expected = hash_all_sequential(&items, &Work::with_turns(50));
        let work = Work::with_turns(50);
        let got = within("`hash_all`", {
            let (items, work) = (items.clone(), work.clone());
            move || hash_all(&items, &work)
        });
        assert!(
            got == expected,
            "`hash_all` of {n} random items gave {} hashes{}, expected the {} hashes of \
             `hash_all_sequential`, in the items' order. Look at `hash_all`: \
             `items.par_iter().map(..).collect()` keeps the order.",
            got.len(),
            first_difference(&got, &expected),
            expected.len()
        );
        hashed_each_item_once("hash_all", &work, n);
    }
}

#[test]
fn hash_all_runs_four_items_at_once_in_a_pool_of_eight() {
    ran_at_once_in_a_big_pool(
        "hash_all",
        hash_all,
        hash_all_sequential,
        "Candidates: `.iter()` where `.par_iter()` was meant; the items cut into two halves (or as \
         many pieces as this machine has cores) that are each hashed in a loop; a lock held around \
         `work.hash`. `items.par_iter().map(..)` lets every thread of the pool take pieces.",
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn hash_all_beats_sequential_on_free_cores() {
    let work = Work::new();
    let items = sized_items("hash_all", &work);
    correct_on_a_few("`hash_all`", &items, &work, hash_all, hash_all_sequential);
    timing::compare("hash_all vs hash_all_sequential")
        .baseline("sequential", || hash_all_sequential(&items, &work))
        .candidate("hash_all", || hash_all(&items, &work))
        .needs_cores(2)
        .expect_candidate_faster(SPEEDUP)
        .expect_parallel(work.activity(), 2)
        .hint(
            "Look at `hash_all`. If at most 1 worker ran at once, the work ran on 1 thread at a \
             time: did you use `.iter()` instead of `.par_iter()`?",
        )
        .check();
}

// timed: it compares run times (the timing crate)
#[test]
fn rayon_beats_threads_under_the_gil() {
    let work = Work::new();
    let items = sized_items("gil", &work);
    correct_on_a_few("`hash_all`", &items, &work, hash_all, hash_all_sequential);
    let gil = GilThreads::calibrated(&work);
    println!(
        "calibrated: one item is {} turns of the model's Python loop, as long as one `work.hash`",
        gil.turns_per_item()
    );
    let n = items.len();
    timing::compare("hash_all vs the same work on 2 Python threads under one GIL")
        .baseline("2 GIL threads", || gil.run(n, 2))
        .candidate("hash_all", || hash_all(&items, &work))
        .needs_cores(2)
        .expect_candidate_faster(SPEEDUP)
        .expect_parallel(work.activity(), 2)
        .hint(
            "Python threads take turns holding the GIL, so they get about one core; `hash_all` has \
             no GIL to wait for. If at most 1 worker ran at once, `hash_all` ran on one thread: \
             look at `hash_all`.",
        )
        .check();
}

// step join: `sum_with_join`, divide and conquer with `rayon::join`

#[test]
fn sum_with_join_matches_the_sequential_sum() {
    let mut rng = seeded("sum_with_join");
    for n in SIZES {
        let items = random_items(&mut rng, n);
        let expected = sum_sequential(&items, &Work::with_turns(50));
        let work = Work::with_turns(50);
        let got = within("`sum_with_join`", {
            let (items, work) = (items.clone(), work.clone());
            move || sum_with_join(&items, &work)
        });
        assert_eq!(
            got, expected,
            "`sum_with_join` of {n} random items gave {got}, expected {expected} (the wrapping sum of \
             their hashes, as `sum_sequential` adds them). Look at `sum_with_join`: split the items in \
             two, sum each half, add the halves with `wrapping_add`; at `LEAF` items or fewer, \
             `sum_sequential` does it."
        );
        hashed_each_item_once("sum_with_join", &work, n);
    }
}

#[test]
fn sum_with_join_splits_down_to_leaves_that_run_at_once() {
    ran_at_once_in_a_big_pool(
        "sum_with_join",
        sum_with_join,
        sum_sequential,
        "Candidates: the slice split only once (two halves, each summed with `sum_sequential`): \
         two threads at most, whatever the pool; the two halves summed one after the other \
         instead of inside `rayon::join`; a base case far above `LEAF`. `sum_with_join` must call \
         itself on both halves, inside `rayon::join`, until `LEAF` items or fewer are left.",
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn sum_with_join_beats_sequential_on_free_cores() {
    let work = Work::new();
    let items = sized_items("sum_with_join", &work);
    correct_on_a_few(
        "`sum_with_join`",
        &items,
        &work,
        sum_with_join,
        sum_sequential,
    );
    timing::compare("sum_with_join vs sum_sequential")
        .baseline("sequential", || sum_sequential(&items, &work))
        .candidate("sum_with_join", || sum_with_join(&items, &work))
        .needs_cores(2)
        .expect_candidate_faster(SPEEDUP)
        .expect_parallel(work.activity(), 2)
        .hint(
            "Look at `sum_with_join`: split until `LEAF` items or fewer, and hand both halves to \
             `rayon::join`. If at most 1 worker ran at once, the halves ran one after the other.",
        )
        .check();
}

// step reduce: `histogram`, a reduction with `fold` and `reduce`

#[test]
fn histogram_matches_the_sequential_histogram() {
    let mut rng = seeded("histogram");
    for n in SIZES {
        let items = random_items(&mut rng, n);
        let expected = histogram_sequential(&items, &Work::with_turns(50));
        let work = Work::with_turns(50);
        let got = within("`histogram`", {
            let (items, work) = (items.clone(), work.clone());
            move || histogram(&items, &work)
        });
        let counted: u64 = got.iter().sum();
        assert!(
            got == expected,
            "`histogram` of {n} random items counted {counted} hashes as {}, expected {} (from \
             `histogram_sequential`). Look at `histogram`: each piece of work folds its items into a \
             histogram that starts at zero (`|| [0; BUCKETS]`), and `reduce` adds two histograms \
             bucket by bucket, starting from zero as well.",
            show(&got),
            show(&expected)
        );
        hashed_each_item_once("histogram", &work, n);
    }
}

#[test]
fn histogram_counts_four_items_at_once_in_a_pool_of_eight() {
    ran_at_once_in_a_big_pool(
        "histogram",
        histogram,
        histogram_sequential,
        "Candidates: `.iter()` where `.par_iter()` was meant; one shared histogram behind a lock \
         that is held while `work.hash` runs, so the threads queue for it; the items cut into as \
         many pieces as this machine has cores. `fold` gives every piece of work its own \
         histogram, and needs no lock.",
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn histogram_beats_sequential_on_free_cores() {
    let work = Work::new();
    let items = sized_items("histogram", &work);
    correct_on_a_few(
        "`histogram`",
        &items,
        &work,
        histogram,
        histogram_sequential,
    );
    timing::compare("histogram vs histogram_sequential")
        .baseline("sequential", || histogram_sequential(&items, &work))
        .candidate("histogram", || histogram(&items, &work))
        .needs_cores(2)
        .expect_candidate_faster(SPEEDUP)
        .expect_parallel(work.activity(), 2)
        .hint(
            "Look at `histogram`: `items.par_iter().fold(..).reduce(..)`. If at most 1 worker ran \
             at once, the items were counted on 1 thread at a time.",
        )
        .check();
}

// step amdahl: `parallel_fraction` and `amdahl_speedup`

#[test]
fn amdahl_formulas_hold_on_exact_values() {
    let fraction_cases = [
        (1.0, 2, 0.0, "no speed-up means nothing ran in parallel"),
        (2.0, 2, 1.0, "2x on 2 cores means everything did"),
        (4.0 / 3.0, 2, 0.5, "(1 - 3/4) / (1 - 1/2)"),
        (1.6, 4, 0.5, "(1 - 1/1.6) / (1 - 1/4)"),
        (8.0, 8, 1.0, "8x on 8 cores"),
    ];
    for (speedup, cores, p, why) in fraction_cases {
        let got = parallel_fraction(speedup, cores);
        assert!(
            close(got, p),
            "`parallel_fraction({speedup}, {cores})` returned {got}, expected {p}: {why}. \
             Look at `parallel_fraction`: p = (1 - 1/S) / (1 - 1/n)."
        );
    }
    let speedup_cases = [
        (0.5, 2, 4.0 / 3.0, "1 / (0.5 + 0.5/2)"),
        (0.5, 4, 1.6, "1 / (0.5 + 0.5/4)"),
        (0.95, 16, 1.0 / (0.05 + 0.95 / 16.0), "1 / (0.05 + 0.95/16)"),
        (
            0.0,
            16,
            1.0,
            "nothing parallel: no speed-up on any number of cores",
        ),
        (1.0, 16, 16.0, "everything parallel: 16 cores, 16x"),
        (0.75, 1, 1.0, "1 core is the program itself"),
    ];
    for (p, n, speedup, why) in speedup_cases {
        let got = amdahl_speedup(p, n);
        assert!(
            close(got, speedup),
            "`amdahl_speedup({p}, {n})` returned {got}, expected {speedup}: {why}. \
             Look at `amdahl_speedup`: S(n) = 1 / ((1 - p) + p/n)."
        );
    }
    let limit = amdahl_speedup(0.9, 1_000_000_000);
    assert!(
        (limit - 10.0).abs() < 1e-6,
        "`amdahl_speedup(0.9, 1_000_000_000)` returned {limit}, expected about 10: with 10% of \
         the work serial, no number of cores gets past 1 / (1 - p) = 10x"
    );

    let mut rng = seeded("amdahl");
    for _ in 0..1000 {
        let p = rng.f64();
        let n = rng.usize(2..=64);
        let s = amdahl_speedup(p, n);
        let back = parallel_fraction(s, n);
        assert!(
            close(back, p),
            "round trip: `amdahl_speedup({p}, {n})` = {s}, and `parallel_fraction({s}, {n})` = \
             {back}, expected {p} back: the two formulas should undo each other"
        );
        let speedup = 1.0 + rng.f64() * (n as f64 - 1.0);
        let p = parallel_fraction(speedup, n);
        let back = amdahl_speedup(p, n);
        assert!(
            close(back, speedup),
            "round trip: `parallel_fraction({speedup}, {n})` = {p}, and `amdahl_speedup({p}, {n})` \
             = {back}, expected {speedup} back: the two formulas should undo each other"
        );
    }
}

// timed: it compares run times (the timing crate)
#[test]
fn amdahl_fraction_comes_from_your_measured_speedup() {
    let work = Work::new();
    let items = sized_items("amdahl", &work);
    let pool = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap_or_else(|err| {
                panic!("could not start a rayon pool of {threads} threads: {err}")
            })
    };
    let (one, two) = (pool(1), pool(2));
    correct_on_a_few("`hash_all`", &items, &work, hash_all, hash_all_sequential);
    let measured = timing::compare("hash_all, rayon pool of 2 threads vs 1")
        .baseline("1 thread", || one.install(|| hash_all(&items, &work)))
        .candidate("2 threads", || two.install(|| hash_all(&items, &work)))
        .needs_cores(2)
        .expect_candidate_faster(SPEEDUP)
        .expect_parallel(work.activity(), 2)
        .hint(
            "This check times your `hash_all` in rayon pools of 1 and 2 threads. If at most 1 \
             worker ran at once in the pool of 2, `hash_all` runs on one thread whatever the \
             pool: look at `hash_all`.",
        )
        .check();

    let s = measured.speedup();
    let p = parallel_fraction(s, 2);
    let expected_p = (1.0 - 1.0 / s) / (1.0 - 1.0 / 2.0);
    assert!(
        close(p, expected_p),
        "your 2 threads gave a speed-up of {s:.4}x, and `parallel_fraction({s}, 2)` returned {p}, \
         expected (1 - 1/{s:.4}) / (1 - 1/2) = {expected_p}. Look at `parallel_fraction`."
    );
    let back = amdahl_speedup(p, 2);
    assert!(
        close(back, s),
        "`amdahl_speedup({p}, 2)` returned {back}, expected your measured {s:.4}x back. Look at \
         `amdahl_speedup`."
    );
    let predicted: Vec<String> = [4, 8, 16]
        .iter()
        .map(|&n| format!("{n} cores {:.1}x", amdahl_speedup(p.min(1.0), n)))
        .collect();
    let ceiling = if p < 1.0 {
        format!("at most {:.0}x on any number of cores", 1.0 / (1.0 - p))
    } else {
        "no serial part measurable".to_string()
    };
    timing::report!(
        "amdahl: {s:.2}x on 2 threads gives p = {p:.3}; predicted {}; {ceiling}",
        predicted.join(", ")
    );
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A random generator seeded from `CH07_SEED` if set, else at random; prints the seed.
fn seeded(what: &str) -> fastrand::Rng {
    let seed = std::env::var("CH07_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    println!("{what}: seed {seed} (run again with CH07_SEED={seed} to use the same items)");
    fastrand::Rng::with_seed(seed)
}

fn random_items(rng: &mut fastrand::Rng, n: usize) -> Vec<u64> {
    (0..n).map(|_| rng.u64(..)).collect()
}

/// Random items, as many as the sequential version needs to take at least `RUN`.
fn sized_items(what: &str, work: &Work) -> Vec<u64> {
    let mut rng = seeded(what);
    let n = timing::size_work(RUN, |n| {
        let items = random_items(&mut rng, n as usize);
        hash_all_sequential(&items, work)
    });
    random_items(&mut rng, (n as usize).max(64))
}

/// Your version gives the sequential version's answer on the first few items: checked,
/// bounded by `LIMIT`, before any timing.
fn correct_on_a_few<T: PartialEq + Send + 'static>(
    function: &str,
    items: &[u64],
    work: &Work,
    yours: fn(&[u64], &Work) -> T,
    sequential: fn(&[u64], &Work) -> T,
) {
    let few = items[..items.len().min(64)].to_vec();
    let count = few.len();
    let expected = sequential(&few, work);
    let got = within(function, {
        let work = work.clone();
        move || yours(&few, &work)
    });
    assert!(
        got == expected,
        "{function} gave a different answer from the sequential version on {} items; the check \
         that compares them says more",
        count
    );
}

/// Every item went through `work.hash` exactly once.
fn hashed_each_item_once(function: &str, work: &Work, n: usize) {
    let calls = work.activity().report().workers;
    assert_eq!(
        calls, n,
        "`{function}` of {n} items called `work.hash` {calls} times, expected once per item. \
         Look at `{function}`: hash every item once, through `work.hash`."
    );
}

/// Runs `yours` on 256 random items inside a rayon pool of `POOL_THREADS` threads,
/// with work that waits for company, and fails unless `AT_ONCE` calls of `work.hash`
/// were running at the same moment. Threads that wait for each other meet on any
/// machine, however busy and however many cores it has; calls made one after another,
/// or on fewer threads than `AT_ONCE`, never do.
fn ran_at_once_in_a_big_pool<T: PartialEq + Send + 'static>(
    function: &str,
    yours: fn(&[u64], &Work) -> T,
    sequential: fn(&[u64], &Work) -> T,
    candidates: &str,
) {
    let items = random_items(&mut seeded(function), 256);
    let work = Work::with_turns(200).waiting_for_company(AT_ONCE, PATIENCE);
    let expected = sequential(&items, &Work::with_turns(200));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(POOL_THREADS)
        .build()
        .unwrap_or_else(|err| {
            panic!("could not start a rayon pool of {POOL_THREADS} threads: {err}")
        });
    let got = within(&format!("`{function}`"), {
        let work = work.clone();
        move || pool.install(|| yours(&items, &work))
    });
    assert!(
        got == expected,
        "`{function}` in a rayon pool of {POOL_THREADS} threads gave another answer than the \
         sequential version; the check that compares them on random items says more."
    );
    let most = work.most_at_once();
    timing::report!(
        "`{function}` in a rayon pool of {POOL_THREADS} threads: at most {most} calls of `work.hash` \
         ran at the same moment (required {AT_ONCE})"
    );
    let how = match most {
        0 | 1 => "the items were hashed one at a time".to_string(),
        k => format!("at most {k} items were hashed at the same moment"),
    };
    assert!(
        most >= AT_ONCE,
        "`{function}` ran in a rayon pool of {POOL_THREADS} threads, and {how}: while the first call \
         of `work.hash` waited {} s for {} more to start beside it, no more came. A parallel \
         version shares its work among all the pool's threads, whatever this machine's core \
         count. Look at `{function}`. {candidates}",
        PATIENCE.as_secs(),
        AT_ONCE - 1
    );
}

/// Runs `work` on a helper thread named like the check and waits at most `LIMIT`.
/// A panic inside it (a `todo!()` in your code) is passed on as it is.
fn within<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    match timing::bounded(LIMIT, work) {
        Ok(value) => value,
        Err(timing::StillRunning) => panic!(
            "{what} had not returned after {} s. Does it split its work forever (a `rayon::join` \
             that never reaches its base case), or wait for something that never comes?",
            LIMIT.as_secs()
        ),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// Where two lists of hashes first differ, as a clause for a message.
fn first_difference(got: &[u64], expected: &[u64]) -> String {
    match got.iter().zip(expected).position(|(g, e)| g != e) {
        Some(i) => format!(
            " (the first difference is at index {i}: got {}, expected {})",
            got[i], expected[i]
        ),
        None if got.len() != expected.len() => String::new(),
        None => " (the same hashes)".to_string(),
    }
}

fn show(histogram: &Histogram) -> String {
    debug_assert_eq!(histogram.len(), BUCKETS);
    format!("{histogram:?}")
}
