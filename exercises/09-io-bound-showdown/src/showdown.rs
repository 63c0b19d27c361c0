//! Written for you: the showdown itself. It runs every client of this chapter against a
//! fresh loopback server, checks every reply, keeps the fastest of a few rounds and hands
//! the figures to your `technique_table`. The reference solution compiles this very file.

use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use python_model::Interpreter;

use crate::{fetch_async, fetch_sequential, fetch_with_processes, fetch_with_threads};

/// The techniques of the notes' table, plus the plain loop they are measured against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Technique {
    /// One page after another: `for n in pages: fetch(n)`.
    Sequential,
    /// Python threads under the GIL (`threading`), the socket wait outside the GIL.
    Threading,
    /// Worker processes (`multiprocessing`), each with its own interpreter and GIL.
    Multiprocessing,
    /// Tasks on one event loop (`asyncio`), here a one-thread tokio runtime.
    Asyncio,
}

/// What one technique did in the showdown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// Which client ran.
    pub technique: Technique,
    /// How many pages it fetched.
    pub pages: usize,
    /// How many threads, processes or tasks it used (1 for the plain loop).
    pub workers: usize,
    /// Its fastest round, wall time.
    pub wall: Duration,
    /// The most requests the server saw open at once while it ran (its best round).
    pub peak_in_flight: usize,
}

/// The showdown's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Showdown {
    /// How long the server waits before it answers each page.
    pub delay: Duration,
    /// Pages each client fetches.
    pub pages: usize,
    /// Threads and processes (the tasks are one per page, as `asyncio.gather` makes them).
    pub workers: usize,
    /// Rounds; each technique keeps its fastest.
    pub rounds: usize,
}

impl Default for Showdown {
    /// 20 pages that each take 50 ms to answer, 10 threads or processes, best of 3.
    fn default() -> Showdown {
        Showdown {
            delay: Duration::from_millis(50),
            pages: 20,
            workers: 10,
            rounds: 3,
        }
    }
}

/// Runs the four clients `showdown.rounds` times each, every run against a fresh
/// loopback server, and returns one [`Row`] per technique in the order of
/// [`Technique`]. `fetcher` is the `ch09-fetch` program the processes run.
///
/// # Errors
/// When a client fails, or returns a reply that is not the page asked for.
pub fn measure(fetcher: &Path, showdown: &Showdown) -> io::Result<Vec<Row>> {
    let pages: Vec<u64> = (1..=showdown.pages as u64).collect();
    let techniques = [
        (Technique::Sequential, 1),
        (Technique::Threading, showdown.workers),
        (Technique::Multiprocessing, showdown.workers),
        (Technique::Asyncio, showdown.pages),
    ];
    let mut rows: Vec<Row> = techniques
        .iter()
        .map(|&(technique, workers)| Row {
            technique,
            pages: pages.len(),
            workers,
            wall: Duration::MAX,
            peak_in_flight: 0,
        })
        .collect();
    for _ in 0..showdown.rounds {
        for row in &mut rows {
            let server = loopback::Server::start(
                loopback::Config::delay(showdown.delay)
                    .max_requests(pages.len())
                    .lifetime(Duration::from_secs(60)),
            )?;
            let addr = server.addr();
            let start = Instant::now();
            let replies = run(row.technique, fetcher, addr, &pages, row.workers)?;
            let wall = start.elapsed();
            check_replies(row.technique, &pages, &replies, server.config().body_size)?;
            if wall < row.wall {
                row.wall = wall;
                row.peak_in_flight = server.stats().peak_open;
            }
        }
    }
    Ok(rows)
}

/// Runs one technique's client once.
fn run(
    technique: Technique,
    fetcher: &Path,
    addr: SocketAddr,
    pages: &[u64],
    workers: usize,
) -> io::Result<Vec<String>> {
    match technique {
        Technique::Sequential => fetch_sequential(addr, pages),
        Technique::Threading => fetch_with_threads(&Interpreter::new(), addr, pages, workers),
        Technique::Multiprocessing => fetch_with_processes(fetcher, addr, pages, workers),
        Technique::Asyncio => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(fetch_async(addr, pages)),
    }
}

/// Every reply must be the page asked for, in the order asked.
fn check_replies(
    technique: Technique,
    pages: &[u64],
    replies: &[String],
    size: usize,
) -> io::Result<()> {
    if replies.len() != pages.len() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "the {technique:?} client returned {} replies for {} pages",
                replies.len(),
                pages.len()
            ),
        ));
    }
    for (&n, reply) in pages.iter().zip(replies) {
        if *reply != loopback::expected_reply(n, size) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the {technique:?} client's reply for page {n} was {reply:?}"),
            ));
        }
    }
    Ok(())
}
