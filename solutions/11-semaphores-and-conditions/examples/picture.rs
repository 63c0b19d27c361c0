//! The picture of chapter 11: 8 downloads through a semaphore of 3 permits, drawn from a
//! real run of the reference solution's `download_all` against the course's loopback
//! server (every page answers after 40 ms).
//!
//! ```text
//! cargo run -q --release -p sol11-semaphores-and-conditions --example picture -- --out src/img
//! ```
//!
//! (`cargo xtask pictures` runs it with the book's other pictures.)

use std::io;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use semaphores_and_conditions::{download_all, fetch};
use timeline::{Lane, State, Timeline};

const FILE: &str = "11-semaphore.svg";
const COMMAND: &str =
    "cargo run -q --release -p sol11-semaphores-and-conditions --example picture -- --out src/img";

const PAGES: u64 = 8;
const PERMITS: usize = 3;
const DELAY: Duration = Duration::from_millis(40);

fn main() -> ExitCode {
    timeline::picture_main(draw)
}

/// One download: when it got its permit and when it finished, on `timing::monotonic_ns`.
#[derive(Clone, Copy)]
struct Download {
    page: u64,
    permit_ns: u64,
    done_ns: u64,
}

fn draw(out: &Path) -> io::Result<()> {
    let server = loopback::Server::start(loopback::Config::delay(DELAY))?;
    let addr = server.addr();
    let pages: Vec<u64> = (1..=PAGES).collect();
    let log = Mutex::new(Vec::new());
    let start_ns = timing::monotonic_ns();
    let results = download_all(&pages, PERMITS, |page| {
        let permit_ns = timing::monotonic_ns();
        let result = fetch(addr, page);
        let done_ns = timing::monotonic_ns();
        log.lock().expect("no download panics").push(Download {
            page,
            permit_ns,
            done_ns,
        });
        result
    });
    let end_ns = timing::monotonic_ns();
    for (page, result) in pages.iter().zip(results) {
        let line = result?;
        if line != loopback::expected_reply(*page, server.config().body_size).trim_end() {
            return Err(io::Error::other(format!("page {page} came back wrong")));
        }
    }
    let mut log = log.into_inner().expect("no download panics");
    log.sort_by_key(|d| d.page);

    let ms = |ns: u64| ns as f64 / 1e6;
    let peak = most_at_once(&log);
    let facts = format!(
        "{PAGES} downloads of {} ms, {PERMITS} permits: at most {peak} at once, all done in \
         {:.0} ms",
        DELAY.as_millis(),
        ms(end_ns - start_ns)
    );
    let lanes = log.iter().map(|d| {
        Lane::new(format!("page {}", d.page))
            .span(0, d.permit_ns - start_ns, State::Waiting)
            .span(
                d.permit_ns - start_ns,
                d.done_ns - start_ns,
                State::BlockedIo,
            )
    });
    let svg = Timeline::new("8 downloads through a semaphore of 3 permits")
        .caption(facts.clone())
        .description(format!(
            "Eight threads start at 0 ms, one per page, and each asks the semaphore for a \
             permit. Three get one and download; the other five sleep on the semaphore's \
             condition variable. Each time a download ends, its permit goes back and one \
             sleeping thread wakes up and starts its download, so the downloads go through \
             three at a time. {facts}."
        ))
        .label(State::Waiting, "waiting for a permit (asleep, no CPU)")
        .label(State::BlockedIo, "downloading (holds a permit)")
        .lanes(lanes)
        .to_svg();
    std::fs::create_dir_all(out)?;
    let path = out.join(FILE);
    std::fs::write(&path, svg)?;
    println!("{}: {facts}", path.display());
    for d in &log {
        println!(
            "  page {}: permit at {:.1} ms, done at {:.1} ms",
            d.page,
            ms(d.permit_ns - start_ns),
            ms(d.done_ns - start_ns)
        );
    }
    println!("(regenerate with `{COMMAND}`)");
    Ok(())
}

/// The most downloads that held a permit at the same moment.
fn most_at_once(log: &[Download]) -> usize {
    let mut edges: Vec<(u64, i32)> = log
        .iter()
        .flat_map(|d| [(d.permit_ns, 1), (d.done_ns, -1)])
        .collect();
    // An end and a start at the same instant: count the end first.
    edges.sort_unstable();
    let (mut now, mut peak) = (0i32, 0i32);
    for (_, step) in edges {
        now += step;
        peak = peak.max(now);
    }
    usize::try_from(peak).unwrap_or(0)
}
