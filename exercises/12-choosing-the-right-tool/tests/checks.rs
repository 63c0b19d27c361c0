//! Checks for exercise 12. They are compiled against your crate and against the
//! reference solution; do not edit them.
//!
//! Every check starts its own loopback server (a slow web site inside the check's
//! process) and calls your code on a helper thread, waited for at most `LIMIT`, so a
//! pipeline that never returns fails with a message instead of hanging. Two things are
//! watched beside the answers: the server counts how many downloads were open at the
//! same moment (the I/O stage), and `Work::digest` records which thread digested which
//! page, when and on which CPU (the CPU stage).

use std::io;
use std::net::SocketAddr;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use choosing_the_right_tool::{
    Digest, Work, async_only, pipeline, rayon_only, sequential, threads_under_the_gil,
};
use loopback::{Config, Server};

/// How long one call into your code may take before the check gives up on it.
const LIMIT: Duration = Duration::from_secs(30);

/// The server's delay before each answer in the timed checks: the I/O-bound part.
const DELAY: Duration = Duration::from_millis(10);

/// Digesting one page takes about as long as downloading it, in the timed checks: the
/// CPU-bound part. With both the same, every single technique leaves about half the
/// time on the table (see `FASTER`).
const CPU_PER_PAGE: Duration = DELAY;

/// Pages in the timed checks.
const PAGES: usize = 32;

/// Bytes of body per page: enough that parsing and hashing one is real work.
const BODY: usize = 16 * 1024;

/// Downloads the I/O stage must have in flight at the same moment. Rayon alone has
/// as many as it has threads (2 here); a blocking loop has 1.
const IN_FLIGHT: usize = 8;

/// The speed-up over each single technique that a timed check requires, on two free
/// cores. With the delay D equal to the CPU time C of a page and N pages, the
/// pipeline takes about D + N·C/2; the GIL threads and async alone about D + N·C (one
/// digest at a time); rayon alone about N·(D + C)/2 (two downloads at a time): all
/// about 2x as long. Measured on the course's 2-core machine (debug build, as the
/// checks run): see the page of chapter 12. 1.4x leaves room for a neighbour.
const FASTER: f64 = 1.4;

/// The speed-up over the sequential version required likewise: it takes N·(D + C),
/// about 4x the pipeline's time.
const FASTER_THAN_SEQUENTIAL: f64 = 2.5;

type Version = fn(SocketAddr, &[u64], &Work) -> io::Result<Vec<Digest>>;

// ---------------------------------------------------------------------------
// The answers
// ---------------------------------------------------------------------------

#[test]
fn pipeline_matches_the_sequential_version_on_random_page_sets() {
    let server = start(Config::delay(Duration::from_millis(2)).body_size(2048));
    let mut rng = seeded("page sets");
    let mut sizes = vec![0, 1, 2, 3, 7, 16, 31];
    sizes.push(rng.usize(1..48));
    for n in sizes {
        let mut pages: Vec<u64> = (0..n).map(|_| rng.u64(0..100_000)).collect();
        if n >= 3 {
            // The same page twice: a pipeline must not lose or merge one.
            pages[n - 1] = pages[0];
        }
        let expected = sequential(server.addr(), &pages, &Work::with_rounds(3))
            .expect("the sequential version downloads every page from a working server");
        let work = Work::with_rounds(3);
        let got = run_pipeline(&server, &pages, &work).unwrap_or_else(|err| {
            panic!(
                "`pipeline` of {n} pages ({}) failed with \"{err}\", but the server answered \
                 every page for the sequential version. Look at how `digest_all` counts the \
                 replies and at the error `download_all` returns.",
                show_pages(&pages)
            )
        });
        assert!(
            got == expected,
            "`pipeline` of {n} random pages ({}) gave {} digests{}, expected the {} digests of \
             `sequential`, in the order of `pages`. Look at `digest_all`: the replies arrive in \
             any order, so keep each one's index and sort by it before returning.",
            show_pages(&pages),
            got.len(),
            first_difference(&got, &expected),
            expected.len()
        );
        let digested = work.activity().report().workers;
        assert_eq!(
            digested, n,
            "`pipeline` of {n} pages called `work.digest` {digested} times, expected once per \
             page. Look at `digest_all`: digest every reply once, through `work.digest`."
        );
    }
}

#[test]
fn pipeline_reports_a_failed_download_as_an_error() {
    // The server answers 4 requests and then stops listening: 8 of the 12 downloads fail.
    let server = start(
        Config::delay(Duration::from_millis(50))
            .body_size(256)
            .max_requests(4),
    );
    let pages: Vec<u64> = (0..12).collect();
    match run_pipeline(&server, &pages, &Work::with_rounds(1)) {
        Err(err) => timing::report!("12 pages from a server that answers 4: \"{err}\""),
        Ok(digests) => panic!(
            "`pipeline` returned Ok with {} digests, but the server answered only {} of the 12 \
             pages and refused the rest: a failed download must come back as an Err. Look at \
             `download_all` (send the failed fetch's Err too) and `digest_all` (an Err reply \
             gives an Err result; fewer replies than pages is an error).",
            digests.len(),
            server.stats().served
        ),
    }
}

// ---------------------------------------------------------------------------
// Each stage with its tool
// ---------------------------------------------------------------------------

#[test]
fn pipeline_keeps_many_downloads_in_flight_at_once() {
    let server = start(Config::delay(Duration::from_millis(300)).body_size(256));
    let pages: Vec<u64> = (100..116).collect();
    let work = Work::with_rounds(1);
    let expected = rayon_only(server.addr(), &pages, &work).expect("the server answers");
    server.reset_peak();
    let got = run_pipeline(&server, &pages, &work)
        .unwrap_or_else(|err| panic!("`pipeline` failed with \"{err}\"; the server was up"));
    assert!(
        got == expected,
        "`pipeline` gave wrong digests{}. Look at `digest_all`.",
        first_difference(&got, &expected)
    );
    let peak = server.stats().peak_open;
    timing::report!(
        "{} downloads of 300 ms: at most {peak} were open at the same moment (required at \
         least {IN_FLIGHT})",
        pages.len()
    );
    assert!(
        peak >= IN_FLIGHT,
        "the server saw at most {peak} of the {} downloads open at the same moment; expected \
         at least {IN_FLIGHT}. The I/O stage waited for some pages before asking for others. \
         Is there a blocking call inside the async tasks? `fetch_blocking` (like any call that \
         waits without `.await`) holds the event loop's only thread until its page has come, \
         so no other task can even send its request. Look at `download_all`: one task per page, each \
         awaiting `fetch_async(addr, page)`; spawn them all first, then wait for them.",
        pages.len()
    );
}

#[test]
fn pipeline_digests_pages_on_several_threads_at_once() {
    let threads = rayon::current_num_threads();
    if threads < 2 {
        timing::inconclusive(format!(
            "rayon's global pool has {threads} thread on this machine, so no two pages can be \
             digested at once; run the check on a machine with at least 2 cores (and \
             RAYON_NUM_THREADS unset)"
        ));
    }
    let server = start(Config::delay(Duration::from_millis(5)).body_size(BODY));
    let pages: Vec<u64> = (0..24).collect();
    let work = Work::calibrated(Duration::from_millis(5), BODY);
    let expected = rayon_only(server.addr(), &pages, &work).expect("the server answers");
    work.activity().clear();
    let got = run_pipeline(&server, &pages, &work)
        .unwrap_or_else(|err| panic!("`pipeline` failed with \"{err}\"; the server was up"));
    assert!(
        got == expected,
        "`pipeline` gave wrong digests{}. Look at `digest_all`.",
        first_difference(&got, &expected)
    );
    let report = work.activity().report();
    timing::report!(
        "{} pages of about 5 ms of CPU work each: at most {} digested at the same moment \
         (required at least 2), on {} CPU(s)",
        pages.len(),
        report.max_concurrent,
        report.distinct_cpus
    );
    assert!(
        report.max_concurrent >= 2,
        "at most {} page was digested at a time: the CPU stage ran on one thread, with {threads} \
         threads in rayon's pool. Is that CPU work on the event loop? Digesting inside the async \
         tasks of a one-thread runtime runs every digest on that one thread, one after another, \
         as asyncio does. Look at `digest_all`: hand the replies to rayon \
         (`arrived.into_iter().par_bridge()`), and keep `download_all` to downloading.",
        report.max_concurrent
    );
}

// ---------------------------------------------------------------------------
// Faster than every single technique
// ---------------------------------------------------------------------------

// timed: it compares run times (the timing crate)
#[test]
fn pipeline_beats_sequential() {
    pipeline_beats(
        "sequential",
        sequential,
        FASTER_THAN_SEQUENTIAL,
        "Look at whether the pipeline downloads all its pages at once (`download_all`) and \
         digests on rayon's threads (`digest_all`).",
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn pipeline_beats_threads_under_the_gil() {
    pipeline_beats(
        "threads under one GIL",
        threads_under_the_gil,
        FASTER,
        "Python's threads wait for their downloads together but digest one page at a time, \
         holding the GIL. Your CPU stage has no GIL to wait for: if at most 1 worker ran at \
         once, it ran on one thread (is the CPU work on the event loop?). Look at `digest_all`.",
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn pipeline_beats_async_only() {
    pipeline_beats(
        "async only",
        async_only,
        FASTER,
        "async alone digests on its one thread, one page after another. If at most 1 worker ran \
         at once, so did your pipeline: is the CPU work on the event loop, inside the async \
         tasks? Look at `digest_all`: it should hand the replies to rayon.",
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn pipeline_beats_rayon_only() {
    pipeline_beats(
        "rayon only",
        rayon_only,
        FASTER,
        "rayon alone has only as many downloads in flight as it has threads. If few downloads \
         were in flight at once, so had your pipeline. Is there a blocking call inside the async \
         tasks? Look at `download_all`: spawn every task first, each awaiting `fetch_async`, then \
         wait for them all.",
    );
}

/// Times `baseline` against your pipeline on `PAGES` random pages, each digest
/// calibrated to cost about as much CPU time as a download waits, and requires the
/// pipeline to be `factor` times as fast, to digest on 2 CPUs at once and to keep
/// `IN_FLIGHT` downloads open together.
fn pipeline_beats(label: &str, baseline: Version, factor: f64, hint: &str) {
    let server = start(Config::delay(DELAY).body_size(BODY));
    let addr = server.addr();
    let mut rng = seeded(label);
    let pages: Vec<u64> = (0..PAGES).map(|_| rng.u64(0..1_000_000)).collect();
    let work = Work::calibrated(CPU_PER_PAGE, BODY);
    println!(
        "calibrated: {} rounds of SHA-256 over a {BODY}-byte page take about {} ms",
        work.rounds(),
        CPU_PER_PAGE.as_millis()
    );
    let expected = baseline(addr, &pages, &work)
        .unwrap_or_else(|err| panic!("{label} failed with \"{err}\"; the server was up"));
    let got = run_pipeline(&server, &pages, &work)
        .unwrap_or_else(|err| panic!("`pipeline` failed with \"{err}\"; the server was up"));
    assert!(
        got == expected,
        "`pipeline` gave digests that differ from those of {label}{}; \
         `pipeline_matches_the_sequential_version_on_random_page_sets` says more.",
        first_difference(&got, &expected)
    );
    let server = &server;
    timing::compare(format!(
        "{PAGES} pages of {} ms delay and about {} ms CPU each: pipeline vs {label}",
        DELAY.as_millis(),
        CPU_PER_PAGE.as_millis()
    ))
    .baseline(label, || {
        baseline(addr, &pages, &work)
            .unwrap_or_else(|err| panic!("{label} failed with \"{err}\"; the server was up"))
    })
    .candidate("pipeline", || {
        server.reset_peak();
        pipeline(addr, &pages, &work)
    })
    .needs_cores(2)
    .expect_candidate_faster(factor)
    .expect_parallel(work.activity(), 2)
    .structure(|_| {
        let peak = server.stats().peak_open;
        if peak >= IN_FLIGHT {
            Ok(format!(
                "{peak} downloads in flight at once, required {IN_FLIGHT}"
            ))
        } else {
            Err(format!(
                "at most {peak} downloads were in flight at once, expected at least {IN_FLIGHT}: \
                 the I/O stage waited for pages one by one (or a few at a time)"
            ))
        }
    })
    .hint(hint)
    .check();
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A loopback server for one check, alive long enough for any of them.
fn start(config: Config) -> Server {
    Server::start(config.lifetime(Duration::from_secs(600)))
        .unwrap_or_else(|err| panic!("could not start the loopback server on 127.0.0.1: {err}"))
}

/// A random generator seeded from `CH12_SEED` if set, else at random; prints the seed.
fn seeded(what: &str) -> fastrand::Rng {
    let seed = std::env::var("CH12_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    println!("{what}: seed {seed} (run again with CH12_SEED={seed} to use the same pages)");
    fastrand::Rng::with_seed(seed)
}

/// Your `pipeline` on a helper thread, waited for at most `LIMIT`. A panic inside it
/// (a `todo!()` in your code) is passed on as it is.
fn run_pipeline(server: &Server, pages: &[u64], work: &Work) -> io::Result<Vec<Digest>> {
    let (addr, pages, work) = (server.addr(), pages.to_vec(), work.clone());
    let (done, result) = mpsc::channel();
    let name = thread::current().name().unwrap_or("check").to_string();
    let helper = thread::Builder::new()
        .name(name)
        .spawn(move || {
            let _ = done.send(pipeline(addr, &pages, &work));
        })
        .expect("the system can start one more thread");
    match result.recv_timeout(LIMIT) {
        Ok(value) => value,
        Err(RecvTimeoutError::Timeout) => panic!(
            "`pipeline` had not returned after {} s. Does `digest_all` wait on a channel whose \
             sender is never dropped (keep no sender outside `download_all`), or does \
             `download_all` wait for something that never comes?",
            LIMIT.as_secs()
        ),
        Err(RecvTimeoutError::Disconnected) => match helper.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the helper sends before it returns"),
        },
    }
}

/// Where two lists of digests first differ, as a clause for a message.
fn first_difference(got: &[Digest], expected: &[Digest]) -> String {
    match got.iter().zip(expected).position(|(g, e)| g != e) {
        Some(i) => format!(
            " (the first difference is at index {i}: got \"{}\", expected \"{}\")",
            got[i], expected[i]
        ),
        None if got.len() != expected.len() => String::new(),
        None => " (the same digests)".to_string(),
    }
}

/// The first few page numbers, for a message.
fn show_pages(pages: &[u64]) -> String {
    let shown: Vec<String> = pages.iter().take(6).map(u64::to_string).collect();
    if pages.len() > shown.len() {
        format!("pages {}, …", shown.join(", "))
    } else if pages.is_empty() {
        "no pages".to_string()
    } else {
        format!("pages {}", shown.join(", "))
    }
}
