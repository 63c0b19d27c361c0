//! Checks for exercise 12. They are compiled against your crate and against the
//! reference solution; do not edit them.
//!
//! They come in three steps, in the order to write the code: the I/O stage
//! (`download_all`), the CPU stage (`digest_all`), then the pipeline that runs both at
//! once. Your code is always called on a helper thread and waited for a bounded time,
//! so a stage that never returns fails with a message instead of hanging.
//!
//! Two kinds of server answer your downloads. The course's loopback server answers
//! every page after a set delay. A *gate*, written below, holds replies back until
//! something has happened (every download is open at once; the CPU stage has digested
//! a page), or lets a page's download fail: what your code does then shows how it
//! works, not only what it returns, on any machine, busy or not.

use std::collections::BTreeSet;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use choosing_the_right_tool::{
    Arrival, Digest, Work, async_only, digest_all, download_all, pipeline, rayon_only, sequential,
    threads_under_the_gil,
};
use loopback::{Config, Server, expected_reply};

/// How long one call into your code may take before the check gives up on it.
const LIMIT: Duration = Duration::from_secs(30);

/// How long a gate holds a reply back, at most, waiting for what it waits for.
const PATIENCE: Duration = Duration::from_secs(3);

/// Bytes of body per page in the checks that are not timed.
const SMALL_BODY: usize = 512;

/// The server's delay before each answer in the timed checks: the I/O-bound part.
const DELAY: Duration = Duration::from_millis(6);

/// Digesting one page takes about as long as downloading it, in the timed checks: the
/// CPU-bound part. With both the same, every single technique leaves about half the
/// time on the table (see `FASTER`).
const CPU_PER_PAGE: Duration = DELAY;

/// Pages in the timed checks.
const PAGES: usize = 16;

/// Bytes of body per page in the timed checks: enough that parsing and hashing one is
/// real work.
const BODY: usize = 16 * 1024;

/// Downloads that must be in flight at the same moment in the timed checks. Rayon
/// alone has as many as it has threads (2 here); a blocking loop has 1.
const IN_FLIGHT: usize = 8;

/// The speed-up over each single technique that a timed check requires, on two free
/// cores. With the delay D equal to the CPU time C of a page and N pages, the
/// pipeline takes about D + N·C/2; the GIL threads and async alone about D + N·C (one
/// digest at a time); rayon alone about N·(D + C)/2 (two downloads at a time): all
/// about 2x as long. 1.4x leaves room for a neighbour.
const FASTER: f64 = 1.4;

/// Threads of a rayon pool the structural checks run your CPU stage in: more than this
/// machine has cores, so that parallelism that stops at the core count shows up.
const POOL_THREADS: usize = 8;

/// Digests that must be running at the same moment in that pool.
const AT_ONCE: usize = 4;

type Version = fn(SocketAddr, &[u64], &Work) -> io::Result<Vec<Digest>>;

// step download: `download_all`, every download waiting at once on one thread

#[test]
fn download_all_keeps_every_download_in_flight_at_once() {
    let pages = distinct_pages("in flight", 16);
    let n = pages.len();
    // Every reply waits until all the downloads are open at the same moment.
    let gate = Gate::start(SMALL_BODY, move |seen: &Seen, _page| {
        if seen.peak_open >= n {
            Release::Now
        } else {
            Release::Wait
        }
    });
    let (result, arrivals) = download_with(gate.addr, &pages, |_| {});
    result.unwrap_or_else(|e| {
        panic!("`download_all` returned the error \"{e}\"; the server answered every page")
    });
    let seen = gate.seen();
    timing::report!(
        "{n} downloads: at most {} were open at the same moment (required {n})",
        seen.peak_open
    );
    assert!(
        seen.peak_open >= n,
        "the server saw at most {} of the {n} downloads open at the same moment; it held every reply back \
         until all {n} were open, for {} s, and they never were. The I/O stage waited for some pages before \
         it asked for others. Candidates: a blocking call inside the async tasks (`fetch_blocking`, or any \
         call that waits without `.await`, holds the event loop's only thread until its page has come); \
         each task awaited right after it was spawned, before the next one exists. Look at \
         `download_all`: spawn every task first, each awaiting `fetch_async`, then wait for them all.",
        seen.peak_open,
        PATIENCE.as_secs()
    );
    check_arrivals(&pages, &arrivals, SMALL_BODY, &BTreeSet::new());
}

#[test]
fn download_all_sends_each_reply_as_soon_as_it_comes() {
    let pages = distinct_pages("as it comes", 8);
    let n = pages.len();
    let first = pages[0];
    let received = Arc::new(AtomicUsize::new(0));
    // The first page's reply waits until the other replies have reached the channel.
    let counted = received.clone();
    let gate = Gate::start(SMALL_BODY, move |_: &Seen, page| {
        if page != first || counted.load(Ordering::SeqCst) >= n - 1 {
            Release::Now
        } else {
            Release::Wait
        }
    });
    let (result, arrivals) = download_with(gate.addr, &pages, |_| {
        received.fetch_add(1, Ordering::SeqCst);
    });
    result.unwrap_or_else(|e| {
        panic!("`download_all` returned the error \"{e}\"; the server answered every page")
    });
    let seen = gate.seen();
    let before = arrivals.iter().take_while(|(index, _)| *index != 0).count();
    timing::report!(
        "the reply to page 0 was held back until the other {} reached the channel: {before} came before it",
        n - 1
    );
    assert!(
        seen.forced == 0,
        "the server held the reply to the first page back until the other {} replies had reached the \
         channel, and after {} s only {before} had. The I/O stage sends a reply only after a page it asked \
         for earlier has come. Candidates: the replies collected and sent once every download has ended; the \
         tasks awaited in the order they were spawned, each reply sent after its task was joined. Look at \
         `download_all`: each task sends its own reply the moment its download ends.",
        n - 1,
        PATIENCE.as_secs()
    );
    check_arrivals(&pages, &arrivals, SMALL_BODY, &BTreeSet::new());
}

#[test]
fn download_all_sends_failed_downloads_too() {
    let pages = distinct_pages("failures", 10);
    let failing: BTreeSet<usize> = [1, 4, 5, 8].into_iter().collect();
    let refused: BTreeSet<u64> = failing.iter().map(|&i| pages[i]).collect();
    // The server closes these pages' connections without a reply.
    let gate = Gate::start(SMALL_BODY, move |_: &Seen, page| {
        if refused.contains(&page) {
            Release::Refuse
        } else {
            Release::Now
        }
    });
    let (result, arrivals) = download_with(gate.addr, &pages, |_| {});
    if let Err(e) = result {
        panic!(
            "`download_all` returned the error \"{e}\" when {} of its {} downloads failed; expected Ok(()): a \
             failed download is sent on the channel as an `Err`, and `download_all` fails only if its runtime \
             cannot start. Look at `download_all`.",
            failing.len(),
            pages.len()
        );
    }
    check_arrivals(&pages, &arrivals, SMALL_BODY, &failing);
}

#[test]
fn download_all_waits_on_one_thread() {
    let pages = distinct_pages("one thread", 16);
    let n = pages.len();
    let before = threads_besides_the_gate();
    let peak = Arc::new(AtomicUsize::new(0));
    // The count that matters is taken the moment every download is under way and none has
    // its reply: a thread per download is alive then, however briefly the threads live.
    let gate = Gate::start(SMALL_BODY, {
        let peak = peak.clone();
        move |seen: &Seen, _page| {
            if seen.peak_open >= n {
                peak.fetch_max(threads_besides_the_gate(), Ordering::SeqCst);
                Release::Now
            } else {
                Release::Wait
            }
        }
    });
    let watcher = {
        let (peak, stop) = (peak.clone(), gate.stop.clone());
        thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                peak.fetch_max(threads_besides_the_gate(), Ordering::SeqCst);
                thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let (result, arrivals) = download_with(gate.addr, &pages, |_| {});
    gate.stop.store(true, Ordering::SeqCst);
    let _ = watcher.join();
    result.unwrap_or_else(|e| {
        panic!("`download_all` returned the error \"{e}\"; the server answered every page")
    });
    check_arrivals(&pages, &arrivals, SMALL_BODY, &BTreeSet::new());
    // The helper thread that calls `download_all` and this check's watcher are two.
    let extra = peak.load(Ordering::SeqCst).saturating_sub(before + 2);
    timing::report!("{n} downloads: `download_all` started {extra} thread(s) of its own");
    assert!(
        extra < n / 2,
        "`download_all` started {extra} threads of its own for {n} downloads. Waiting for many pages is what \
         an event loop does on one thread: every task waits with `.await`, and the one thread runs whichever \
         task's page has come. A thread per download waits too (chapter 09), but this stage is asyncio's \
         model: one thread. Look at `download_all`: a one-thread tokio runtime, one task per page."
    );
}

// step digest: `digest_all`, every reply digested on rayon's threads as it arrives

#[test]
fn digest_all_returns_the_digests_in_page_order() {
    let mut rng = seeded("page order");
    let mut pages: Vec<u64> = (0..rng.usize(6..16)).map(|_| rng.u64(0..100_000)).collect();
    let n = pages.len();
    pages[n - 1] = pages[0]; // the same page twice: neither may be lost or merged
    let work = Work::with_rounds(2);
    let expected: Vec<Digest> = pages
        .iter()
        .map(|&p| {
            work.digest(p, &expected_reply(p, SMALL_BODY))
                .expect("a good reply digests")
        })
        .collect();
    work.activity().clear();
    // Sent in an order that is not the pages' order, as downloads finish.
    let mut order: Vec<usize> = (0..n).collect();
    while order.iter().enumerate().all(|(k, &i)| k == i) {
        rng.shuffle(&mut order);
    }
    let (sender, arrived) = mpsc::channel();
    for &i in &order {
        let _ = sender.send((i, Ok(expected_reply(pages[i], SMALL_BODY))));
    }
    drop(sender);
    let got = digest_within(arrived, &pages, &work).unwrap_or_else(|e| {
        panic!("`digest_all` of {n} good replies failed with \"{e}\". Look at `digest_all`.")
    });
    assert!(
        got == expected,
        "`digest_all` was sent the replies to {n} pages ({}) in the order {order:?} of their indices, and returned \
         {} digests{}; expected the {n} digests in the order of `pages`, whatever order the replies came in. \
         Look at `digest_all`: keep each reply's index with its digest, and order by it at the end.",
        show_pages(&pages),
        got.len(),
        first_difference(&got, &expected)
    );
    let digested = work.activity().report().workers;
    assert_eq!(
        digested, n,
        "`digest_all` called `work.digest` {digested} times for {n} replies; expected once per reply."
    );
}

#[test]
fn digest_all_digests_while_replies_are_still_coming() {
    let pages: Vec<u64> = (500..510).collect();
    let n = pages.len();
    let work = Work::with_rounds(2);
    let (sender, arrived) = mpsc::channel();
    for (i, &page) in pages.iter().enumerate().take(n / 2) {
        let _ = sender.send((i, Ok(expected_reply(page, SMALL_BODY))));
    }
    let call = {
        let (pages, work) = (pages.clone(), work.clone());
        call_on_helper(move || digest_all(arrived, &pages, &work))
    };
    // The channel stays open until a digest has been made, or the patience runs out.
    let since = Instant::now();
    while work.activity().report().workers == 0 && since.elapsed() < PATIENCE && !call.finished() {
        thread::sleep(Duration::from_millis(2));
    }
    let digested_early = work.activity().report().workers;
    for (i, &page) in pages.iter().enumerate().skip(n / 2) {
        let _ = sender.send((i, Ok(expected_reply(page, SMALL_BODY))));
    }
    drop(sender);
    let got = call
        .wait("`digest_all`")
        .unwrap_or_else(|e| panic!("`digest_all` failed with \"{e}\""));
    assert_eq!(
        got.len(),
        n,
        "`digest_all` of {n} replies returned {} digests",
        got.len()
    );
    timing::report!(
        "{} of {n} replies sent, the channel left open: {digested_early} digested before the rest came",
        n / 2
    );
    assert!(
        digested_early > 0,
        "`digest_all` was sent {} of {n} replies and the channel was left open for {} s: it digested none of \
         them until the channel closed. The CPU stage must start on the first reply, while the I/O stage is \
         still downloading: that overlap is the pipeline's whole gain. Candidates: the channel read to its \
         end (collected) before any digest starts. Look at `digest_all`: hand the replies to rayon straight \
         from the channel (`par_bridge`).",
        n / 2,
        PATIENCE.as_secs()
    );
}

#[test]
fn digest_all_digests_four_replies_at_once_in_a_pool_of_eight() {
    let pages: Vec<u64> = (700..716).collect();
    let work = Work::with_rounds(2).waiting_for_company(AT_ONCE, PATIENCE);
    let (sender, arrived) = mpsc::channel();
    for (i, &page) in pages.iter().enumerate() {
        let _ = sender.send((i, Ok(expected_reply(page, SMALL_BODY))));
    }
    drop(sender);
    let pool = rayon_pool();
    let got = {
        let (pages, work) = (pages.clone(), work.clone());
        bounded("`digest_all`", move || {
            pool.install(|| digest_all(arrived, &pages, &work))
        })
    };
    got.unwrap_or_else(|e| panic!("`digest_all` of good replies failed with \"{e}\""));
    let most = work.most_at_once();
    timing::report!(
        "`digest_all` in a rayon pool of {POOL_THREADS} threads: at most {most} digests at the same moment \
         (required {AT_ONCE})"
    );
    assert!(
        most >= AT_ONCE,
        "`digest_all` ran in a rayon pool of {POOL_THREADS} threads with 16 replies waiting, and at most {most} \
         digest(s) ran at the same moment: while the first call of `work.digest` waited {} s for {} more, no \
         more came. Candidates: the replies digested in a plain loop on one thread (`.iter()` or `for`, not \
         rayon); a lock held while digesting. Look at `digest_all`: the replies go to rayon's threads \
         (`par_bridge`).",
        PATIENCE.as_secs(),
        AT_ONCE - 1
    );
}

#[test]
fn digest_all_reports_the_first_failure_in_page_order() {
    let pages: Vec<u64> = (900..908).collect();
    let work = Work::with_rounds(1);
    let good = |i: usize| -> Arrival { (i, Ok(expected_reply(pages[i], SMALL_BODY))) };
    let failed = |i: usize, what: &str| -> Arrival { (i, Err(io::Error::other(what.to_string()))) };

    // Two failed downloads; the later page's failure arrives first.
    let (sender, arrived) = mpsc::channel();
    for arrival in [
        good(0),
        failed(5, "page 5 failed"),
        good(1),
        failed(2, "page 2 failed"),
        good(3),
        good(4),
        good(6),
        good(7),
    ] {
        let _ = sender.send(arrival);
    }
    drop(sender);
    match digest_within(arrived, &pages, &work) {
        Err(e) if e.to_string().contains("page 2 failed") => {}
        Err(e) => panic!(
            "the downloads of pages 2 and 5 failed (5's error came first); `digest_all` returned \"{e}\"; expected \
             page 2's error, the first failure in the order of `pages`, as `sequential` would meet it. Look at \
             `digest_all`: order by index first, then collect the results."
        ),
        Ok(digests) => panic!(
            "the downloads of pages 2 and 5 failed, yet `digest_all` returned Ok with {} digests; expected the \
             first failure. Look at `digest_all`: a failed reply gives a failed result.",
            digests.len()
        ),
    }

    // The I/O stage ends after 6 of 8 replies.
    let (sender, arrived) = mpsc::channel();
    for i in [0, 1, 2, 3, 5, 6] {
        let _ = sender.send(good(i));
    }
    drop(sender);
    if let Ok(digests) = digest_within(arrived, &pages, &work) {
        panic!(
            "the channel closed after 6 replies for 8 pages, and `digest_all` returned Ok with {} digests; \
             expected an error saying that replies are missing: a short list would be read as the whole \
             answer. Look at `digest_all`: count what came.",
            digests.len()
        );
    }

    // A reply that answers another page.
    let (sender, arrived) = mpsc::channel();
    for i in 0..8 {
        let page = if i == 3 { pages[4] } else { pages[i] };
        let _ = sender.send((i, Ok(expected_reply(page, SMALL_BODY))));
    }
    drop(sender);
    match digest_within(arrived, &pages, &work) {
        Err(e) if e.kind() == io::ErrorKind::InvalidData => {}
        other => panic!(
            "the reply for index 3 answered another page; `digest_all` returned {}; expected the `InvalidData` \
             error of `work.digest(pages[index], ..)`. Look at `digest_all`: digest each reply as the page at \
             its index.",
            match other {
                Ok(d) => format!("Ok with {} digests", d.len()),
                Err(e) => format!("the error \"{e}\" of kind {:?}", e.kind()),
            }
        ),
    }
}

// step pipeline: `pipeline`, both stages at once

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
        let got = run_pipeline(server.addr(), &pages, &work).unwrap_or_else(|err| {
            panic!(
                "`pipeline` of {n} pages ({}) failed with \"{err}\", but the server answered every page for the \
                 sequential version. Look at how `digest_all` counts the replies and at the error \
                 `download_all` returns.",
                show_pages(&pages)
            )
        });
        assert!(
            got == expected,
            "`pipeline` of {n} random pages ({}) gave {} digests{}, expected the {} digests of `sequential`, in \
             the order of `pages`. Look at `pipeline`: it passes `pages` to both stages and returns the CPU \
             stage's digests.",
            show_pages(&pages),
            got.len(),
            first_difference(&got, &expected),
            expected.len()
        );
        let digested = work.activity().report().workers;
        assert_eq!(
            digested, n,
            "`pipeline` of {n} pages called `work.digest` {digested} times, expected once per page."
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
    match run_pipeline(server.addr(), &pages, &Work::with_rounds(1)) {
        Err(err) => timing::report!("12 pages from a server that answers 4: \"{err}\""),
        Ok(digests) => panic!(
            "`pipeline` returned Ok with {} digests, but the server answered only {} of the 12 pages and refused \
             the rest: a failed download must come back as an Err. Look at `pipeline`: return the CPU stage's \
             error, and the I/O stage's if it failed.",
            digests.len(),
            server.stats().served
        ),
    }
}

#[test]
fn pipeline_keeps_many_downloads_in_flight_at_once() {
    let pages = distinct_pages("in flight", 16);
    let n = pages.len();
    let gate = Gate::start(SMALL_BODY, move |seen: &Seen, _page| {
        if seen.peak_open >= n {
            Release::Now
        } else {
            Release::Wait
        }
    });
    let got = run_pipeline(gate.addr, &pages, &Work::with_rounds(1)).unwrap_or_else(|err| {
        panic!("`pipeline` failed with \"{err}\"; the server answered every page")
    });
    assert_eq!(
        got.len(),
        n,
        "`pipeline` of {n} pages returned {} digests",
        got.len()
    );
    let peak = gate.seen().peak_open;
    timing::report!("{n} downloads: at most {peak} were open at the same moment (required {n})");
    assert!(
        peak >= n,
        "the server saw at most {peak} of the {n} downloads open at the same moment; it held every reply back \
         until all {n} were open, for {} s, and they never were. Is there a blocking call inside the async \
         tasks? `fetch_blocking` (like any call that waits without `.await`) holds the event loop's only \
         thread until its page has come, so no other task can even send its request. Look at \
         `download_all` (its own checks say more) and at `pipeline`: the I/O stage is `download_all`.",
        PATIENCE.as_secs()
    );
}

#[test]
fn pipeline_digests_while_downloads_are_still_coming() {
    let pages = distinct_pages("overlap", 12);
    let first = pages[0];
    let work = Work::with_rounds(1);
    // The first page's reply waits until the CPU stage has digested another page.
    let digested = work.clone();
    let gate = Gate::start(SMALL_BODY, move |_: &Seen, page| {
        if page != first || digested.activity().report().workers > 0 {
            Release::Now
        } else {
            Release::Wait
        }
    });
    let got = run_pipeline(gate.addr, &pages, &work).unwrap_or_else(|err| {
        panic!("`pipeline` failed with \"{err}\"; the server answered every page")
    });
    assert_eq!(
        got.len(),
        pages.len(),
        "`pipeline` of {} pages returned {} digests",
        pages.len(),
        got.len()
    );
    let seen = gate.seen();
    timing::report!(
        "the reply to page 0 was held back until a digest was made: {}",
        if seen.forced == 0 {
            "one was, while page 0 was still downloading"
        } else {
            "none was"
        }
    );
    assert!(
        seen.forced == 0,
        "the server held the first page's reply back until the CPU stage had digested another page, for {} s, \
         and no page was digested meanwhile, though {} replies had come. The CPU stage started only after the \
         I/O stage had finished: the two stages ran one after the other. Candidates: `pipeline` runs \
         `download_all` to its end before it calls `digest_all`; `digest_all` reads the whole channel before \
         it digests. Look at `pipeline`: the download stage on a thread of its own, `digest_all` on this one, \
         at the same time.",
        PATIENCE.as_secs(),
        pages.len() - 1
    );
}

#[test]
fn pipeline_digests_pages_on_several_threads_at_once() {
    let server = start(Config::delay(Duration::from_millis(2)).body_size(SMALL_BODY));
    let pages: Vec<u64> = (0..16).collect();
    let work = Work::with_rounds(2).waiting_for_company(AT_ONCE, PATIENCE);
    let pool = rayon_pool();
    let addr = server.addr();
    let got = {
        let (pages, work) = (pages.clone(), work.clone());
        bounded("`pipeline`", move || {
            pool.install(|| pipeline(addr, &pages, &work))
        })
    };
    got.unwrap_or_else(|err| panic!("`pipeline` failed with \"{err}\"; the server was up"));
    let most = work.most_at_once();
    timing::report!(
        "`pipeline` in a rayon pool of {POOL_THREADS} threads: at most {most} digests at the same moment \
         (required {AT_ONCE})"
    );
    assert!(
        most >= AT_ONCE,
        "`pipeline` ran in a rayon pool of {POOL_THREADS} threads, and at most {most} page(s) were digested at \
         the same moment: while the first digest waited {} s for {} more, no more came. Is that CPU work on \
         the event loop? Digesting inside the async tasks of a one-thread runtime runs every digest on that one \
         thread, one after another, as asyncio does. Look at `pipeline` and `digest_all`: hand the replies to \
         rayon, and keep `download_all` to downloading.",
        PATIENCE.as_secs(),
        AT_ONCE - 1
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn pipeline_beats_threads_under_the_gil() {
    pipeline_beats(
        "threads under one GIL",
        threads_under_the_gil,
        "Python's threads wait for their downloads together but digest one page at a time, holding the GIL. \
         Your CPU stage has no GIL to wait for: if at most 1 worker ran at once, it ran on one thread (is the \
         CPU work on the event loop?). Look at `digest_all`.",
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn pipeline_beats_async_only() {
    pipeline_beats(
        "async only",
        async_only,
        "async alone digests on its one thread, one page after another. If at most 1 worker ran at once, so did \
         your pipeline: is the CPU work on the event loop, inside the async tasks? Look at `digest_all`: it \
         should hand the replies to rayon.",
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn pipeline_beats_rayon_only() {
    pipeline_beats(
        "rayon only",
        rayon_only,
        "rayon alone has only as many downloads in flight as it has threads. If few downloads were in flight at \
         once, so had your pipeline. Is there a blocking call inside the async tasks? Look at `download_all`: \
         spawn every task first, each awaiting `fetch_async`, then wait for them all.",
    );
}

/// Times `baseline` against your pipeline on `PAGES` random pages, each digest
/// calibrated to cost about as much CPU time as a download waits, and requires the
/// pipeline to be `FASTER` times as fast, to digest on 2 CPUs at once and to keep
/// `IN_FLIGHT` downloads open together.
fn pipeline_beats(label: &str, baseline: Version, hint: &str) {
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
    let got = run_pipeline(addr, &pages, &work)
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
        baseline(addr, &pages, &work).unwrap_or_else(|err| panic!("{label} failed with \"{err}\"; the server was up"))
    })
    .candidate("pipeline", || {
        server.reset_peak();
        pipeline(addr, &pages, &work)
    })
    .needs_cores(2)
    .expect_candidate_faster(FASTER)
    .expect_parallel(work.activity(), 2)
    .structure(|_| {
        let peak = server.stats().peak_open;
        if peak >= IN_FLIGHT {
            Ok(format!("{peak} downloads in flight at once, required {IN_FLIGHT}"))
        } else {
            Err(format!(
                "at most {peak} downloads were in flight at once, expected at least {IN_FLIGHT}: the I/O stage \
                 waited for pages one by one (or a few at a time)"
            ))
        }
    })
    .hint(hint)
    .check();
}

// ---------------------------------------------------------------------------
// The gate: a server the check controls
// ---------------------------------------------------------------------------

/// What a gate does with a reply now.
enum Release {
    /// Send it.
    Now,
    /// Hold it back (at most `PATIENCE`, then it goes anyway, and counts as forced).
    Wait,
    /// Close the connection without a reply: a failed download.
    Refuse,
}

/// What a gate has seen so far.
#[derive(Clone, Debug, Default)]
struct Seen {
    /// Downloads whose request has come and whose reply has not gone yet.
    open: usize,
    /// The most that were open at the same moment.
    peak_open: usize,
    /// Replies let go only because the patience ran out. After the first, the gate
    /// holds nothing back any more.
    forced: usize,
}

type Rule = dyn Fn(&Seen, u64) -> Release + Send + Sync;

/// A server on 127.0.0.1 that answers `GET <page>` as the loopback server does (the
/// body `expected_reply` gives), but lets each reply go only when its rule says so.
/// It serves each connection on a thread of its own, named `gate`.
struct Gate {
    addr: SocketAddr,
    shared: Arc<(Mutex<Seen>, Condvar)>,
    stop: Arc<AtomicBool>,
}

impl Gate {
    fn start(body: usize, rule: impl Fn(&Seen, u64) -> Release + Send + Sync + 'static) -> Gate {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port is free");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let shared = Arc::new((Mutex::new(Seen::default()), Condvar::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let rule: Arc<Rule> = Arc::new(rule);
        {
            let (shared, stop) = (shared.clone(), stop.clone());
            thread::Builder::new()
                .name("gate".into())
                .spawn(move || {
                    for stream in listener.incoming() {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let Ok(stream) = stream else { continue };
                        let (shared, rule) = (shared.clone(), rule.clone());
                        let _ = thread::Builder::new()
                            .name("gate".into())
                            .spawn(move || serve_one(stream, &shared, &*rule, body));
                    }
                })
                .expect("the system can start one more thread");
        }
        Gate { addr, shared, stop }
    }

    fn seen(&self) -> Seen {
        self.shared
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for Gate {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wakes the accepting thread up
    }
}

/// One download at the gate: read the request, wait for the rule, answer or refuse.
fn serve_one(stream: TcpStream, shared: &(Mutex<Seen>, Condvar), rule: &Rule, body: usize) {
    let _ = stream.set_read_timeout(Some(LIMIT));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut request = String::new();
    if BufReader::new(read_half).read_line(&mut request).is_err() {
        return;
    }
    let Some(page) = request
        .trim()
        .strip_prefix("GET ")
        .and_then(|n| n.parse::<u64>().ok())
    else {
        return;
    };
    let (lock, changed) = shared;
    let mut seen = lock.lock().unwrap_or_else(PoisonError::into_inner);
    seen.open += 1;
    seen.peak_open = seen.peak_open.max(seen.open);
    changed.notify_all();
    let since = Instant::now();
    let answer = loop {
        match rule(&seen, page) {
            Release::Now => break true,
            Release::Refuse => break false,
            Release::Wait if seen.forced > 0 || since.elapsed() >= PATIENCE => {
                seen.forced += 1;
                break true;
            }
            Release::Wait => {
                seen = changed
                    .wait_timeout(seen, Duration::from_millis(2))
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
        }
    };
    seen.open -= 1;
    changed.notify_all();
    drop(seen);
    if answer {
        let mut stream = stream;
        let _ = stream.write_all(expected_reply(page, body).as_bytes());
    }
}

/// Threads of this process that are not the gate's (the gate has one per download). A
/// thread that ends while it is counted (its name can no longer be read) is left out.
fn threads_besides_the_gate() -> usize {
    std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten()
        .filter(|task| {
            std::fs::read_to_string(task.path().join("comm"))
                .is_ok_and(|name| name.trim() != "gate")
        })
        .count()
}

// ---------------------------------------------------------------------------
// Calling your code, bounded
// ---------------------------------------------------------------------------

/// Your `download_all` on a helper thread, its channel read here as replies come:
/// `on_arrival` sees each one. Returns its result and the arrivals in the order they came.
fn download_with(
    addr: SocketAddr,
    pages: &[u64],
    mut on_arrival: impl FnMut(&Arrival),
) -> (io::Result<()>, Vec<Arrival>) {
    let (sender, arrived): (Sender<Arrival>, Receiver<Arrival>) = mpsc::channel();
    let call = {
        let pages = pages.to_vec();
        call_on_helper(move || download_all(addr, &pages, sender))
    };
    let deadline = Instant::now() + LIMIT;
    let mut arrivals = Vec::new();
    loop {
        match arrived.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(arrival) => {
                on_arrival(&arrival);
                arrivals.push(arrival);
            }
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => panic!(
                "`download_all` of {} pages had not returned after {} s ({} replies had come). Does it wait for \
                 something that never comes (a task that is never awaited, a runtime that is never driven)?",
                pages.len(),
                LIMIT.as_secs(),
                arrivals.len()
            ),
        }
    }
    (call.wait("`download_all`"), arrivals)
}

/// Fails unless `arrivals` hold each index of `pages` once, with the right reply, and
/// an `Err` exactly for the indices in `failing`.
fn check_arrivals(pages: &[u64], arrivals: &[Arrival], body: usize, failing: &BTreeSet<usize>) {
    let mut seen = vec![0usize; pages.len()];
    for (index, reply) in arrivals {
        assert!(
            *index < pages.len(),
            "`download_all` sent the index {index}, but there are {} pages: send each page's index in `pages`",
            pages.len()
        );
        seen[*index] += 1;
        match (reply, failing.contains(index)) {
            (Ok(text), false) => assert!(
                *text == expected_reply(pages[*index], body),
                "`download_all` sent index {index} with the reply to another page ({:?}…); expected page {}'s: \
                 each task sends its own page's index",
                text.chars().take(12).collect::<String>(),
                pages[*index]
            ),
            (Err(e), false) => panic!(
                "`download_all` sent index {index} as the error \"{e}\", but its page was answered"
            ),
            (Ok(_), true) => {
                panic!("`download_all` sent a reply for index {index}, but its download failed")
            }
            (Err(_), true) => {}
        }
    }
    let missing: Vec<usize> = (0..pages.len()).filter(|&i| seen[i] == 0).collect();
    let twice: Vec<usize> = (0..pages.len()).filter(|&i| seen[i] > 1).collect();
    let lost_failures = missing.iter().all(|i| failing.contains(i));
    assert!(
        missing.is_empty() && twice.is_empty(),
        "`download_all` of {} pages sent {} arrivals: {}{}. Every page's download must be sent once, with its \
         index, {}",
        pages.len(),
        arrivals.len(),
        if missing.is_empty() {
            String::new()
        } else {
            format!("none for the indices {missing:?}")
        },
        if twice.is_empty() {
            String::new()
        } else {
            format!("; more than one for {twice:?}")
        },
        if !missing.is_empty() && lost_failures {
            "and a failed download too, as an `Err`: those indices are the downloads that failed. A task that \
             stops at the failure (with `?`) never sends it, and the CPU stage cannot tell a lost page from a \
             finished stage."
        } else {
            "whether it succeeded or failed."
        }
    );
}

/// A call of your code running on a helper thread named like the check.
struct Call<T> {
    done: Receiver<T>,
    helper: thread::JoinHandle<()>,
}

impl<T: Send + 'static> Call<T> {
    fn finished(&self) -> bool {
        self.helper.is_finished()
    }

    /// Its result, waited for at most `LIMIT`; a panic inside it is passed on as it was.
    fn wait(self, what: &str) -> T {
        match self.done.recv_timeout(LIMIT) {
            Ok(value) => value,
            Err(RecvTimeoutError::Timeout) => panic!(
                "{what} had not returned after {} s. Does it wait on a channel whose sender is never dropped, or \
                 for something that never comes?",
                LIMIT.as_secs()
            ),
            Err(RecvTimeoutError::Disconnected) => match self.helper.join() {
                Err(panic) => std::panic::resume_unwind(panic),
                Ok(()) => unreachable!("the helper sends before it returns"),
            },
        }
    }
}

fn call_on_helper<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Call<T> {
    let (sender, done) = mpsc::channel();
    let name = thread::current().name().unwrap_or("check").to_string();
    let helper = thread::Builder::new()
        .name(name)
        .spawn(move || {
            let _ = sender.send(work());
        })
        .expect("the system can start one more thread");
    Call { done, helper }
}

/// `work()` on a helper thread, waited for at most `LIMIT`.
fn bounded<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    call_on_helper(work).wait(what)
}

/// Your `digest_all` on a helper thread, bounded.
fn digest_within(
    arrived: Receiver<Arrival>,
    pages: &[u64],
    work: &Work,
) -> io::Result<Vec<Digest>> {
    let (pages, work) = (pages.to_vec(), work.clone());
    bounded("`digest_all`", move || digest_all(arrived, &pages, &work))
}

/// Your `pipeline` on a helper thread, bounded.
fn run_pipeline(addr: SocketAddr, pages: &[u64], work: &Work) -> io::Result<Vec<Digest>> {
    let (pages, work) = (pages.to_vec(), work.clone());
    bounded("`pipeline`", move || pipeline(addr, &pages, &work))
}

/// A rayon pool of `POOL_THREADS` threads.
fn rayon_pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(POOL_THREADS)
        .build()
        .unwrap_or_else(|err| {
            panic!("could not start a rayon pool of {POOL_THREADS} threads: {err}")
        })
}

// ---------------------------------------------------------------------------
// Small things
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

/// `n` random page numbers, all different.
fn distinct_pages(what: &str, n: usize) -> Vec<u64> {
    let mut rng = seeded(what);
    let mut pages = BTreeSet::new();
    while pages.len() < n {
        pages.insert(rng.u64(0..1_000_000));
    }
    let mut pages: Vec<u64> = pages.into_iter().collect();
    rng.shuffle(&mut pages);
    pages
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
