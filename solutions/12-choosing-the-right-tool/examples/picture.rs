//! The picture of chapter 12: the same pages downloaded and digested by async alone,
//! by rayon alone and by the pipeline, from a real run against the loopback server,
//! each version drawn from its own start so their lengths compare.
//!
//! ```text
//! cargo run -q --release -p sol12-choosing-the-right-tool --example picture -- --out src/img
//! ```
//!
//! (`cargo xtask pictures` runs it with the book's other pictures.) Each digest records
//! when it ran (`Work::activity`); a row is one digest at a time, and the gaps between
//! digests are time the row spent waiting for a page.

use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use choosing_the_right_tool::{Digest, Work, async_only, pipeline, rayon_only};
use timeline::{Lane, State, Timeline};
use timing::{Interval, monotonic_ns};

const FILE: &str = "12-three-ways.svg";
const PAGES: u64 = 8;
const DELAY: Duration = Duration::from_millis(20);
const BODY: usize = 16 * 1024;

type Version = fn(SocketAddr, &[u64], &Work) -> io::Result<Vec<Digest>>;

fn main() -> ExitCode {
    timeline::picture_main(draw)
}

fn draw(out: &Path) -> io::Result<()> {
    let server = loopback::Server::start(
        loopback::Config::delay(DELAY)
            .body_size(BODY)
            .lifetime(Duration::from_secs(60)),
    )?;
    let pages: Vec<u64> = (1..=PAGES).collect();
    // A digest costs about as much CPU time as a download waits.
    let work = Work::calibrated(DELAY, BODY);
    wait_for_free_cores();

    let versions: [(&str, Version); 3] = [
        ("async only", async_only),
        ("rayon only", rayon_only),
        ("pipeline", pipeline),
    ];
    let mut lanes = Vec::new();
    let mut totals = Vec::new();
    for (name, version) in versions {
        version(server.addr(), &pages, &work)?; // warm up: threads, pools, sockets
        work.activity().clear();
        let start = monotonic_ns();
        version(server.addr(), &pages, &work)?;
        let end = monotonic_ns();
        let intervals = work.activity().report().intervals;
        let rows = rows_of(&intervals);
        for (i, row) in rows.iter().enumerate() {
            let label = if rows.len() == 1 {
                name.to_string()
            } else {
                format!("{name}, {}", char::from(b'A' + i as u8))
            };
            lanes.push(lane(label, start, row));
        }
        totals.push(format!("{name} {:.0} ms", (end - start) as f64 / 1e6));
    }

    let caption = format!(
        "{PAGES} pages, {} ms wait and about {} ms of CPU each, on 2 cores: {}",
        DELAY.as_millis(),
        DELAY.as_millis(),
        totals.join(", ")
    );
    let svg = Timeline::new("One tool, or one tool per stage")
        .caption(caption.clone())
        .description(format!(
            "Three versions of the same job, each from its own start: {caption}. Async alone \
             waits for every page at once, then digests them one after another on its one \
             thread. Rayon alone digests on two threads, but each thread first waits for its \
             own page, so the cores idle during every download. The pipeline waits for every \
             page at once and then digests on both threads."
        ))
        .label(State::RunningWithoutGil, "digesting a page (CPU)")
        .label(State::BlockedIo, "waiting for a page")
        .lanes(lanes)
        .to_svg();
    std::fs::create_dir_all(out)?;
    let path = out.join(FILE);
    std::fs::write(&path, svg)?;
    println!("{caption}\nwrote {}", path.display());
    Ok(())
}

/// The digests in rows, each row one digest at a time: every interval goes to the
/// first row that is free when it starts.
fn rows_of(intervals: &[Interval]) -> Vec<Vec<Interval>> {
    let mut sorted = intervals.to_vec();
    sorted.sort_by_key(|i| i.start_ns);
    let mut rows: Vec<Vec<Interval>> = Vec::new();
    for interval in sorted {
        match rows.iter_mut().find(|row| {
            row.last()
                .is_some_and(|last| last.end_ns <= interval.start_ns)
        }) {
            Some(row) => row.push(interval),
            None => rows.push(vec![interval]),
        }
    }
    rows
}

/// One row, drawn from the version's `start`: waiting until each digest, then digesting.
fn lane(label: String, start: u64, row: &[Interval]) -> Lane {
    let mut lane = Lane::new(label);
    let mut free_since = start;
    for interval in row {
        if interval.start_ns > free_since {
            lane.push_span(
                free_since - start,
                interval.start_ns - start,
                State::BlockedIo,
            );
        }
        lane.push_span(
            interval.start_ns - start,
            interval.end_ns - start,
            State::RunningWithoutGil,
        );
        free_since = interval.end_ns;
    }
    lane
}

/// Waits (a little) for the two cores to be free, so the picture shows the versions
/// and not a neighbour.
fn wait_for_free_cores() {
    for _ in 0..10 {
        if timing::free_cores() >= 1.8 {
            return;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    eprintln!("picture: the cores stayed busy; drawing anyway");
}
