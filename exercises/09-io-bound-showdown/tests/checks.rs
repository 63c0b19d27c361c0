//! Checks for exercise 09. They are compiled against your crate and against the
//! reference solution; do not edit them.
//!
//! Every check starts its own loopback server (a real TCP server on 127.0.0.1, inside
//! this process, with a delay before each answer, a request budget and a lifetime) and
//! runs your clients against it. Some servers answer each page after a delay of its
//! own, so replies arrive in another order than asked; some hold every answer until
//! several requests are open at once, which shows on any machine, however busy, that a
//! client really had them in flight together; some misbehave (stay silent, hang up, cut
//! a reply short). Every call into your code runs on a helper thread and is waited for
//! at most a limit, so a client that never returns fails with a message instead of
//! hanging.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::io::ErrorKind;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use io_bound_showdown::{
    Row, Technique, fetch_async, fetch_page, fetch_page_async, fetch_sequential,
    fetch_with_threads, technique_table,
};
use loopback::{Behaviour, Config, Server, expected_reply};
use python_model::{BlockingCall, Interpreter, ThreadId, TraceLog};

/// How long one call into your code may take.
const LIMIT: Duration = Duration::from_secs(30);

/// The body size of every server here.
const BODY: usize = 100;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn in_ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}

/// A server configuration for one run: answers after `delay`, at most `requests`
/// requests, for at most 40 s.
fn config(delay: Duration, requests: usize) -> Config {
    Config::delay(delay)
        .body_size(BODY)
        .max_requests(requests)
        .lifetime(Duration::from_secs(40))
}

fn start(config: Config) -> Server {
    Server::start(config).expect("the loopback server can start on 127.0.0.1")
}

/// Page numbers in a scrambled order, with a repeat and a large one, so that replies put
/// back in the wrong order or mixed up between requests show.
fn scrambled_pages(count: usize, seed: u64) -> Vec<u64> {
    let mut state = seed | 1;
    let mut pages: Vec<u64> = (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % 1000
        })
        .collect();
    if count >= 3 {
        pages[1] = pages[0];
        pages[2] = u64::from(u32::MAX) + 7;
    }
    pages
}

/// Compares `replies` with the right answers, in order; `who` names the client. When
/// every reply is there but out of place, it says so.
fn assert_replies(who: &str, pages: &[u64], replies: &[String], look_at: &str) {
    assert_eq!(
        replies.len(),
        pages.len(),
        "{who} returned {} replies for {} pages ({pages:?}); expected one reply per page, in the order \
         asked. {look_at}",
        replies.len(),
        pages.len()
    );
    let expected: Vec<String> = pages.iter().map(|&n| expected_reply(n, BODY)).collect();
    let Some(at) = replies.iter().zip(&expected).position(|(r, e)| r != e) else {
        return;
    };
    let (mut got, mut want) = (replies.to_vec(), expected.clone());
    got.sort();
    want.sort();
    if got == want {
        let asked_at = expected
            .iter()
            .position(|e| *e == replies[at])
            .unwrap_or_default();
        panic!(
            "{who} returned every page, but not in the order asked: reply {at} is page {} (asked {asked_at}-th), \
             where page {} was asked. The server answers each page after a delay of its own, so replies \
             arrive in another order than asked: put each reply at the position of its page. {look_at}",
            pages[asked_at], pages[at]
        );
    }
    panic!(
        "{who}: reply {at} (page {}) was\n  {:?}\nexpected the server's answer for page {}\n  {:?}\nThe whole \
         line counts, newline included. {look_at}",
        pages[at], replies[at], pages[at], expected[at]
    );
}

/// Runs `fetch_async` on a one-thread tokio runtime: asyncio's event loop.
fn run_async(addr: SocketAddr, pages: Vec<u64>) -> std::io::Result<Vec<String>> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(fetch_async(addr, &pages))
}

/// Runs `fetch_page_async` on a one-thread tokio runtime.
fn run_page_async(addr: SocketAddr, n: u64, patience: Duration) -> std::io::Result<String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(fetch_page_async(addr, n, patience))
}

fn traced() -> Interpreter {
    Interpreter::builder().trace(true).build()
}

// ---------------------------------------------------------------------------
// step fetch-page: `fetch_page` (fetch.rs), one blocking fetch with a patience
// ---------------------------------------------------------------------------

#[test]
fn fetch_page_returns_the_page_asked_for() {
    let server = start(config(ms(1), 3));
    let addr = server.addr();
    let pages = [7, 0, u64::from(u32::MAX) + 7];
    for n in pages {
        let reply = within("`fetch_page`", LIMIT, move || fetch_page(addr, n, ms(5000)))
            .unwrap_or_else(|e| {
                panic!("`fetch_page(addr, {n}, 5 s)` failed: {e}. Connect, write `GET {n}\\n`, read one line.")
            });
        assert_replies(
            &format!("`fetch_page(addr, {n}, ..)`"),
            &[n],
            &[reply],
            "Look at `fetch_page`: one connection per page, one request line, one reply line.",
        );
    }
    let stats = server.stats();
    assert_eq!(
        stats.bad_requests, 0,
        "the server got {} request(s) that were not `GET <number>\\n`: look at what `fetch_page` writes",
        stats.bad_requests
    );
}

/// Runs a client against a server that never answers and judges how it gave up.
fn assert_gives_up_on_silence(
    who: &str,
    kinds: &[ErrorKind],
    fetch: impl FnOnce(SocketAddr, Duration) -> std::io::Result<String> + Send + 'static,
) {
    let patience = ms(300);
    let server = start(config(ms(1), 1).behaviour(Behaviour::Silent));
    let addr = server.addr();
    let started = Instant::now();
    let limit = Duration::from_secs(5);
    let result = timing::bounded(limit, move || fetch(addr, patience));
    let took = started.elapsed();
    let result = result.unwrap_or_else(|timing::StillRunning| {
        panic!(
            "{who} with a patience of {} had not returned after {} s, from a server that read the request and \
             never answered: a client without a timeout waits for such a server for ever. Give every step \
             that can wait a limit of `patience`.",
            in_ms(patience),
            limit.as_secs()
        )
    });
    match result {
        Ok(reply) => panic!(
            "{who} returned Ok({reply:?}) from a server that read the request and never answered; expected \
             an error once the patience of {} ran out.",
            in_ms(patience)
        ),
        Err(error) => {
            assert!(
                kinds.contains(&error.kind()),
                "{who} gave up on a silent server with the error \"{error}\" (kind {:?}); expected a timeout, \
                 of kind {}.",
                error.kind(),
                kinds.iter().map(|k| format!("{k:?}")).collect::<Vec<_>>().join(" or ")
            );
            assert!(
                took >= patience,
                "{who} gave up on a silent server after {}, before its patience of {} ran out.",
                in_ms(took),
                in_ms(patience)
            );
        }
    }
}

/// Runs a client against servers that close the connection early, and judges the error.
fn assert_refuses_cut_replies(
    who: &str,
    fetch: impl Fn(SocketAddr) -> std::io::Result<String> + Send + Clone + 'static,
) {
    for (behaviour, what) in [
        (Behaviour::HangsUp, "closed the connection without a word"),
        (Behaviour::CutsOff, "sent half of its reply line and closed the connection"),
    ] {
        let server = start(config(ms(1), 1).behaviour(behaviour));
        let addr = server.addr();
        let fetch = fetch.clone();
        let result = within(who, LIMIT, move || fetch(addr));
        match result {
            Ok(reply) => panic!(
                "{who} returned Ok({reply:?}) from a server that {what}; expected an error of kind \
                 UnexpectedEof. Reading at the end of a stream is not an error in Rust (nor in Python's \
                 `readline`): it reads what there was, possibly nothing. A reply is whole only with its \
                 newline."
            ),
            Err(error) => assert!(
                error.kind() == ErrorKind::UnexpectedEof,
                "{who} failed on a server that {what} with \"{error}\" (kind {:?}); expected kind \
                 UnexpectedEof: the reply was cut short.",
                error.kind()
            ),
        }
    }
}

#[test]
fn fetch_page_gives_up_on_a_silent_server() {
    assert_gives_up_on_silence(
        "`fetch_page`",
        &[ErrorKind::WouldBlock, ErrorKind::TimedOut],
        |addr, patience| fetch_page(addr, 1, patience),
    );
}

#[test]
fn fetch_page_refuses_a_reply_cut_short() {
    assert_refuses_cut_replies("`fetch_page`", |addr| fetch_page(addr, 1, ms(5000)));
}

// ---------------------------------------------------------------------------
// step sequential: `fetch_sequential` (fetch.rs), one page after another
// ---------------------------------------------------------------------------

#[test]
fn the_sequential_client_returns_every_page_in_order() {
    let pages = scrambled_pages(9, 0x2545_F491_4F6C_DD1D);
    let server = start(config(ms(1), pages.len()).spread(ms(4)));
    let addr = server.addr();
    let asked = pages.clone();
    let replies = within("`fetch_sequential`", LIMIT, move || fetch_sequential(addr, &asked))
        .unwrap_or_else(|e| panic!("`fetch_sequential` failed: {e}. Look at `fetch_page`."));
    assert_replies(
        "`fetch_sequential`",
        &pages,
        &replies,
        "Look at `fetch_sequential`.",
    );

    // The first error ends the run, and is what it returns.
    let server = start(config(ms(1), 5).behaviour(Behaviour::HangsUp));
    let addr = server.addr();
    let result = within("`fetch_sequential`", LIMIT, move || fetch_sequential(addr, &[1, 2, 3]));
    assert!(
        matches!(&result, Err(e) if e.kind() == ErrorKind::UnexpectedEof),
        "`fetch_sequential` against a server that hangs up on every request returned {}; expected the first \
         page's error (kind UnexpectedEof), and no further requests",
        match &result {
            Ok(replies) => format!("Ok with {} replies", replies.len()),
            Err(e) => format!("the error \"{e}\" (kind {:?})", e.kind()),
        }
    );
}

// ---------------------------------------------------------------------------
// step threads: `fetch_with_threads` (threads.rs), Python threads of the model
// ---------------------------------------------------------------------------

#[test]
fn the_threaded_client_returns_every_page_in_order() {
    // 11 pages on 4 threads: 3, 3, 3 and 2 pages each. The server answers nobody until 4
    // requests are open at once (or 2 s have passed): 4 threads fetching at the same time
    // meet at once on any machine; threads that fetch one at a time never do.
    let pages = scrambled_pages(11, 0x9E37_79B9_7F4A_7C15);
    let patience = Duration::from_secs(2);
    let server = start(config(ms(2), pages.len()).spread(ms(20)).meeting(4, patience));
    let addr = server.addr();
    let interp = traced();
    let watched = interp.clone();
    let asked = pages.clone();
    let replies = within("`fetch_with_threads`", LIMIT, move || {
        fetch_with_threads(&interp, addr, &asked, 4)
    })
    .unwrap_or_else(|e| panic!("`fetch_with_threads` failed: {e}"));
    let log = watched.trace().expect("tracing is on");
    let calls = log.blocking_calls();
    let mut counts: Vec<usize> = calls
        .iter()
        .fold(HashMap::<ThreadId, usize>::new(), |mut m, c| {
            *m.entry(c.thread).or_default() += 1;
            m
        })
        .into_values()
        .collect();
    counts.sort_unstable();
    assert!(
        !calls.is_empty(),
        "`fetch_with_threads` made no blocking call with the GIL released: every fetch ran with the GIL held, \
         so while one thread waited on its socket no other could run (the server, which waits for 4 requests \
         at once, saw at most {}). CPython's socket module releases the GIL around `connect`, `send` and \
         `recv`; in the model, make each fetch inside `py.blocking(..)`.",
        server.stats().peak_open
    );
    assert_replies(
        "`fetch_with_threads(interp, addr, pages, 4)`",
        &pages,
        &replies,
        "Look at how `fetch_with_threads` puts each thread's replies back in place.",
    );
    assert_eq!(
        counts,
        [2, 3, 3, 3],
        "11 pages on 4 threads: expected 4 Python threads of the interpreter making 3, 3, 3 and 2 blocking \
         calls (one fetch inside `py.blocking` per page, thread i fetching pages i, i + 4, ...), got blocking \
         calls per thread {counts:?}. Start the threads with `interp.spawn`."
    );
    let peak = server.stats().peak_open;
    let overlap = BlockingCall::most_at_once(&calls);
    assert!(
        peak >= 4,
        "the server saw at most {peak} request(s) open at once, and at most {overlap} thread(s) were waiting on \
         a socket at the same moment; expected 4, one per thread. The server held its answers for {} waiting \
         for them. Candidates: each thread joined before the next one is started (right replies, one thread \
         at a time); a lock or a join that makes the threads take turns. Start every thread first, then join \
         them.",
        in_ms(patience)
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn threads_under_the_gil_beat_sequential_by_about_the_concurrency() {
    let pages: Vec<u64> = (1..=8).collect();
    let delay = ms(25);
    let peak = Cell::new(0);
    let trace = RefCell::new(None::<TraceLog>);
    timing::compare("8 pages of 25 ms, 8 Python threads vs one after another")
        .baseline("one after another", || {
            let server = start(config(delay, pages.len()));
            let (addr, asked) = (server.addr(), pages.clone());
            within("`fetch_sequential`", LIMIT, move || fetch_sequential(addr, &asked))
        })
        .candidate("8 threads", || {
            let server = start(config(delay, pages.len()));
            let (addr, asked) = (server.addr(), pages.clone());
            let interp = traced();
            let watched = interp.clone();
            let replies = within("`fetch_with_threads`", LIMIT, move || {
                fetch_with_threads(&interp, addr, &asked, 8)
            });
            peak.set(server.stats().peak_open);
            *trace.borrow_mut() = watched.trace();
            replies
        })
        .structure(|_| {
            let log = trace.borrow();
            let log = log.as_ref().ok_or("no trace was recorded")?;
            let calls = log.blocking_calls();
            let overlap = BlockingCall::most_at_once(&calls);
            if calls.is_empty() {
                return Err("no fetch was made with the GIL released, so the threads waited on their sockets \
                            one at a time: fetch inside `py.blocking(..)`"
                    .to_string());
            }
            if overlap < 6 {
                return Err(format!(
                    "at most {overlap} of the 8 threads were waiting on their sockets without the GIL at once, \
                     expected at least 6: start every thread before joining any"
                ));
            }
            Ok(format!(
                "{} requests in flight at once, {overlap} threads waiting without the GIL, at most {} GIL \
                 holder at a time",
                peak.get(),
                log.max_simultaneous_holders()
            ))
        })
        // Measured on the course's 2-core machine: about 7x. Half the concurrency leaves
        // room for slow thread starts on a busy machine; one at a time gives 1.0x.
        .expect_candidate_faster(4.0)
        .runs(4)
        .hint(
            "Look at `fetch_with_threads`: start every thread before joining any, and fetch inside \
             `py.blocking(..)` so the GIL is free while the socket waits.",
        )
        .check();
}

// ---------------------------------------------------------------------------
// step async-page: `fetch_page_async` (asynchronous.rs), one fetch as a future
// ---------------------------------------------------------------------------

#[test]
fn fetch_page_async_returns_the_page_asked_for() {
    let server = start(config(ms(1), 3));
    let addr = server.addr();
    for n in [7, 0, u64::from(u32::MAX) + 7] {
        let reply = within("`fetch_page_async`", LIMIT, move || run_page_async(addr, n, ms(5000)))
            .unwrap_or_else(|e| panic!("`fetch_page_async(addr, {n}, 5 s)` failed: {e}"));
        assert_replies(
            &format!("`fetch_page_async(addr, {n}, ..)`"),
            &[n],
            &[reply],
            "Look at `fetch_page_async`: the same steps as `fetch_page`, each awaited.",
        );
    }
    assert_eq!(
        server.stats().bad_requests,
        0,
        "the server got request(s) that were not `GET <number>\\n`: look at what `fetch_page_async` writes"
    );
}

#[test]
fn fetch_page_async_gives_up_on_a_silent_server() {
    assert_gives_up_on_silence("`fetch_page_async`", &[ErrorKind::TimedOut], |addr, patience| {
        run_page_async(addr, 1, patience)
    });
}

#[test]
fn fetch_page_async_refuses_a_reply_cut_short() {
    assert_refuses_cut_replies("`fetch_page_async`", |addr| run_page_async(addr, 1, ms(5000)));
}

// ---------------------------------------------------------------------------
// step async: `fetch_async` (asynchronous.rs), asyncio's gather of fetches
// ---------------------------------------------------------------------------

#[test]
fn the_async_client_returns_every_page_in_order() {
    // The server answers nobody until all 12 requests are open at once (or 2 s passed),
    // then each page after a delay of its own.
    let pages = scrambled_pages(12, 0x0DDB_1A5E_5BAD_5EED);
    let patience = Duration::from_secs(2);
    let server = start(config(ms(2), pages.len()).spread(ms(20)).meeting(pages.len(), patience));
    let addr = server.addr();
    let asked = pages.clone();
    let replies = within("`fetch_async`", LIMIT, move || run_async(addr, asked))
        .unwrap_or_else(|e| panic!("`fetch_async` failed: {e}"));
    assert_replies(
        "`fetch_async`",
        &pages,
        &replies,
        "Look at the order in which `fetch_async` collects its replies.",
    );
    let peak = server.stats().peak_open;
    assert!(
        peak >= pages.len(),
        "the server saw at most {peak} of the {} requests open at once (it held its answers {} waiting for all \
         of them): the fetches ran one at a time. Start a task for every page before awaiting any; awaiting \
         each fetch in a loop is the plain loop again.",
        pages.len(),
        in_ms(patience)
    );
}

// timed: it compares run times (the timing crate)
#[test]
fn async_beats_sequential_by_about_the_concurrency() {
    let pages: Vec<u64> = (1..=8).collect();
    let delay = ms(25);
    let peak = Cell::new(0);
    timing::compare("8 pages of 25 ms, 8 tokio tasks on one thread vs one after another")
        .baseline("one after another", || {
            let server = start(config(delay, pages.len()));
            let (addr, asked) = (server.addr(), pages.clone());
            within("`fetch_sequential`", LIMIT, move || fetch_sequential(addr, &asked))
        })
        .candidate("8 tasks", || {
            let server = start(config(delay, pages.len()));
            let (addr, asked) = (server.addr(), pages.clone());
            let replies = within("`fetch_async`", LIMIT, move || run_async(addr, asked));
            peak.set(server.stats().peak_open);
            replies
        })
        .structure(|_| {
            if peak.get() < 6 {
                return Err(format!(
                    "the server saw at most {} request(s) open at once, expected at least 6 of 8: the tasks \
                     waited one at a time. Start a task for every page before awaiting any",
                    peak.get()
                ));
            }
            Ok(format!("{} requests in flight at once", peak.get()))
        })
        // Measured on the course's 2-core machine: about 7.5x.
        .expect_candidate_faster(4.0)
        .runs(4)
        .hint("Look at `fetch_async`: a task per page first, then await them in order.")
        .check();
}

/// The most threads this process had while `work` ran, sampled every millisecond.
fn most_threads_during<T>(work: impl FnOnce() -> T) -> (T, usize) {
    fn threads_now() -> usize {
        std::fs::read_dir("/proc/self/task").map_or(0, Iterator::count)
    }
    let done = Arc::new(AtomicBool::new(false));
    let sampler = std::thread::spawn({
        let done = Arc::clone(&done);
        move || {
            let mut most = threads_now();
            while !done.load(Ordering::SeqCst) {
                most = most.max(threads_now());
                std::thread::sleep(ms(1));
            }
            most.max(threads_now())
        }
    });
    let out = work();
    done.store(true, Ordering::SeqCst);
    let most = sampler.join().expect("the sampler does not panic");
    (out, most)
}

#[test]
fn async_holds_a_thousand_connections_open_on_one_thread() {
    // The server answers none of the 1,000 until all are open at once (or 5 s passed).
    let many: Vec<u64> = (0..1000).collect();
    let patience = Duration::from_secs(5);
    let server = start(config(ms(1), many.len()).meeting(many.len(), patience));
    let (addr, asked) = (server.addr(), many.clone());
    let before = std::fs::read_dir("/proc/self/task").map_or(0, Iterator::count);
    let (replies, most) = most_threads_during(|| {
        within("`fetch_async` of 1,000 pages", LIMIT, move || run_async(addr, asked))
    });
    let replies = replies.unwrap_or_else(|e| panic!("`fetch_async` of 1,000 pages failed: {e}"));
    assert_replies(
        "`fetch_async` of 1,000 pages",
        &many,
        &replies,
        "Look at `fetch_async`.",
    );
    let peak = server.stats().peak_open;
    timing::report!(
        "1,000 pages: {peak} requests open at once; this process had at most {most} threads ({before} before)"
    );
    // The runtime's thread, the check's, the server's and a sampler: a handful. A thread
    // per page is hundreds.
    assert!(
        most <= before + 20,
        "while `fetch_async` fetched 1,000 pages, this process had up to {most} threads ({before} before): the \
         pages were fetched on threads of their own (`std::thread::spawn` or `spawn_blocking` per page), not \
         as tasks on the event loop's one thread. asyncio runs every coroutine on one thread; so must \
         `fetch_async`, with `fetch_page_async`."
    );
    assert!(
        peak >= many.len(),
        "the server saw at most {peak} of the 1,000 requests open at once (it held its answers {} waiting for \
         all of them); expected all 1,000 in flight together, on one thread",
        in_ms(patience)
    );
}

// ---------------------------------------------------------------------------
// step table: `technique_table` (table.rs), the notes' table with measured numbers
// ---------------------------------------------------------------------------

fn row(technique: Technique, pages: usize, workers: usize, wall_us: u64, peak: usize) -> Row {
    Row {
        technique,
        pages,
        workers,
        wall: Duration::from_micros(wall_us),
        peak_in_flight: peak,
    }
}

#[test]
fn the_technique_table_reads_like_the_notes() {
    let rows = [
        row(Technique::Sequential, 20, 1, 1_031_400, 1),
        row(Technique::Threading, 20, 10, 105_200, 10),
        row(Technique::Multiprocessing, 20, 10, 109_600, 10),
        row(Technique::Asyncio, 20, 20, 53_100, 20),
    ];
    let table = within("`technique_table`", LIMIT, move || technique_table(&rows));
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => "technique_table of the rows of a showdown run: 20 pages, 10 threads or processes, 20 tasks",
    }, {
        insta::assert_snapshot!("technique_table", table);
    });
}

#[test]
fn the_technique_table_shows_each_rows_own_numbers() {
    // Rows of runs that never were: other sizes, other orders, the sequential row last.
    let cases = [
        vec![
            row(Technique::Threading, 36, 4, 455_500, 4),
            row(Technique::Asyncio, 36, 36, 61_499, 33),
            row(Technique::Multiprocessing, 36, 3, 612_000, 3),
            row(Technique::Sequential, 36, 1, 1_820_700, 1),
        ],
        vec![
            row(Technique::Sequential, 7, 1, 350_000, 1),
            row(Technique::Threading, 7, 7, 50_300, 7),
        ],
    ];
    for rows in cases {
        let given = rows.clone();
        let table = within("`technique_table`", LIMIT, move || technique_table(&given));
        let lines: Vec<&str> = table.lines().collect();
        let pages = rows[0].pages;
        let header = format!(
            "| technique | best for | several cores | GIL bypassed | {pages} pages | speed-up | at once |"
        );
        assert!(
            lines.first() == Some(&header.as_str()) && table.ends_with('\n'),
            "for rows of {pages} pages, the table's first line should be\n  {header}\nand every line should end \
             in a newline; the table was\n{table}"
        );
        assert_eq!(
            lines.len(),
            rows.len() + 2,
            "expected the header, the separator and one line per row ({} rows); the table was\n{table}",
            rows.len()
        );
        let sequential = rows
            .iter()
            .find(|r| r.technique == Technique::Sequential)
            .map(|r| r.wall.as_secs_f64())
            .unwrap_or_default();
        for (line, row) in lines[2..].iter().zip(&rows) {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            assert_eq!(cells.len(), 9, "expected 7 cells between | on the line {line:?}");
            let name = match row.technique {
                Technique::Sequential => "sequential".to_string(),
                Technique::Threading => format!("threading, {} threads", row.workers),
                Technique::Multiprocessing => format!("multiprocessing, {} processes", row.workers),
                Technique::Asyncio => format!("asyncio, {} tasks", row.workers),
            };
            let expected = [
                name,
                format!("{:.0} ms", row.wall.as_secs_f64() * 1e3),
                format!("{:.1}x", sequential / row.wall.as_secs_f64()),
                row.peak_in_flight.to_string(),
            ];
            let shown = [cells[1], cells[5], cells[6], cells[7]];
            for (what, (want, got)) in ["technique", "wall time", "speed-up", "at once"]
                .iter()
                .zip(expected.iter().zip(shown))
            {
                assert!(
                    got == want,
                    "the {:?} row ({} pages, {} workers, {:.1} ms, {} at once) shows {what} {got:?}; expected \
                     {want:?}. The line was\n  {line}\n(the speed-up is the sequential row's wall time over \
                     this row's, wherever the sequential row stands)",
                    row.technique,
                    row.pages,
                    row.workers,
                    row.wall.as_secs_f64() * 1e3,
                    row.peak_in_flight
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Bounded calls.
// ---------------------------------------------------------------------------

/// Runs `work` on a helper thread and waits at most `limit` for it; fails, naming `what`,
/// when it does not return. A panic inside `work`, such as a `todo!()`, is passed on.
fn within<T: Send + 'static>(what: &str, limit: Duration, work: impl FnOnce() -> T + Send + 'static) -> T {
    match timing::bounded(limit, work) {
        Ok(value) => value,
        Err(timing::StillRunning) => panic!(
            "{what} had not returned after {} s. A thread or task that never ends, or a join that waits \
             for one, is the usual cause; every socket operation should give up after its patience.",
            limit.as_secs()
        ),
    }
}
