//! The picture of chapter 09: the same pages fetched by the three clients of the
//! chapter, from a real run against the loopback server, each client drawn from its own
//! start so their lengths compare.
//!
//! ```text
//! cargo run -q --release -p sol09-io-bound-showdown --example picture -- --out src/img
//! ```
//!
//! (`cargo xtask pictures` runs it with the book's other pictures.)

use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use io_bound_showdown::{PATIENCE, fetch_page, fetch_page_async, fetch_with_threads};
use python_model::Interpreter;
use timeline::{Lane, State, Timeline, lanes_from_trace};
use timing::monotonic_ns;

const FILE: &str = "09-three-clients.svg";
const PAGES: u64 = 6;
const THREADS: usize = 3;
const DELAY: Duration = Duration::from_millis(30);

fn main() -> ExitCode {
    timeline::picture_main(draw)
}

fn server() -> io::Result<loopback::Server> {
    loopback::Server::start(
        loopback::Config::delay(DELAY)
            .max_requests(PAGES as usize)
            .lifetime(Duration::from_secs(30)),
    )
}

fn draw(out: &Path) -> io::Result<()> {
    let pages: Vec<u64> = (1..=PAGES).collect();

    // The plain loop: one page, then the next. The solution's `fetch_page`, timed here
    // page by page (it is `fetch_sequential` with a clock around each fetch).
    let seq_server = server()?;
    let start = monotonic_ns();
    let mut sequential = Lane::new("sequential");
    for &n in &pages {
        let t0 = monotonic_ns() - start;
        check(n, &fetch_page(seq_server.addr(), n, PATIENCE)?)?;
        sequential.push_span(t0, monotonic_ns() - start, State::BlockedIo);
    }
    let sequential_ns = monotonic_ns() - start;
    drop(seq_server);

    // Python threads under the model's GIL: the solution's `fetch_with_threads` on an
    // interpreter that keeps a trace (time 0 is the interpreter's creation).
    let threads_server = server()?;
    let interp = Interpreter::builder().trace(true).build();
    let start = monotonic_ns();
    let replies = fetch_with_threads(&interp, threads_server.addr(), &pages, THREADS)?;
    let threads_ns = monotonic_ns() - start;
    for (&n, reply) in pages.iter().zip(&replies) {
        check(n, reply)?;
    }
    drop(threads_server);
    let log = interp.trace().ok_or_else(|| io::Error::other("no trace"))?;
    let thread_lanes: Vec<Lane> = lanes_from_trace(&log, |_| State::BlockedIo)
        .into_iter()
        .map(|lane| {
            let label = format!("thread {}", lane.label());
            lane.relabel(label)
        })
        .collect();

    // Tasks on one thread: what `fetch_async` does, one task per page, with a clock
    // around each task.
    let async_server = server()?;
    let (task_lanes, async_ns) = fetch_with_tasks(async_server.addr(), &pages)?;
    drop(async_server);

    let ms = |ns: u64| ns as f64 / 1e6;
    let caption = format!(
        "{PAGES} pages, each answered after {} ms: sequential {:.0} ms, {THREADS} Python threads {:.0} ms, \
         {PAGES} tasks on one thread {:.0} ms (one real run)",
        DELAY.as_millis(),
        ms(sequential_ns),
        ms(threads_ns),
        ms(async_ns)
    );
    let timeline = Timeline::new("Three clients fetch the same pages")
        .caption(caption)
        .description(
            "Three clients fetch the same pages from a loopback server that waits 30 ms before each \
             answer, each drawn from its own start. The sequential client waits for one page after \
             another. Three Python threads each hold the GIL only for moments and wait on their sockets \
             with it released, three at a time. Six tasks on one thread all wait at once.",
        )
        .label(State::HoldingGil, "running Python (holds the GIL)")
        .label(State::WaitingForGil, "waiting for the GIL")
        .label(State::BlockedIo, "waiting on its socket (no GIL held)")
        .label(State::Waiting, "task suspended at .await, waiting for its reply")
        .lane(sequential)
        .lanes(thread_lanes)
        .lanes(task_lanes)
        .window(0, sequential_ns);
    std::fs::create_dir_all(out)?;
    let path = out.join(FILE);
    std::fs::write(&path, timeline.to_svg())?;
    println!(
        "wrote {} ({})",
        path.display(),
        timeline.text_alternative().lines().next().unwrap_or("")
    );
    Ok(())
}

/// One task per page on a one-thread runtime, each timed from its spawn to its reply.
fn fetch_with_tasks(addr: SocketAddr, pages: &[u64]) -> io::Result<(Vec<Lane>, u64)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let start = monotonic_ns();
        let tasks: Vec<_> = pages
            .iter()
            .map(|&n| {
                tokio::spawn(async move {
                    let t0 = monotonic_ns();
                    let reply = fetch_page_async(addr, n, PATIENCE).await;
                    (n, t0, monotonic_ns(), reply)
                })
            })
            .collect();
        let mut lanes = Vec::new();
        for task in tasks {
            let (n, t0, t1, reply) = task.await.map_err(io::Error::other)?;
            check(n, &reply?)?;
            lanes.push(Lane::new(format!("task {n}")).span(t0 - start, t1 - start, State::Waiting));
        }
        Ok((lanes, monotonic_ns() - start))
    })
}

fn check(n: u64, reply: &str) -> io::Result<()> {
    if reply == loopback::expected_reply(n, 64) {
        Ok(())
    } else {
        Err(io::Error::other(format!("page {n}: wrong reply {reply:?}")))
    }
}
