//! Times every version of chapter 12 on this machine: the single-technique versions
//! the exercise gives, the reference pipeline, and two more for comparison (plain Rust
//! threads, one per page, and the two stages run one after the other).
//!
//! ```text
//! cargo xtask bench 12
//! cargo run -q --release -p sol12-choosing-the-right-tool --example bench
//! ```
//!
//! A benchmark, not a check: it prints what it measured, busy machine or not, and
//! says how many cores were free before and after.

use std::io;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use choosing_the_right_tool::{
    Digest, Work, async_only, digest_all, download_all, fetch_blocking, pipeline, rayon_only,
    sequential, threads_under_the_gil,
};
use loopback::{Config, Server};

/// Interleaved rounds; every figure is the fastest of them.
const ROUNDS: usize = 7;

/// The server's delay before each answer: the I/O-bound part of a page.
const DELAY: Duration = Duration::from_millis(10);

/// Pages per run.
const PAGES: usize = 32;

/// Bytes of body per page.
const BODY: usize = 16 * 1024;

type Run = fn(SocketAddr, &[u64], &Work) -> io::Result<Vec<Digest>>;

fn main() -> ExitCode {
    let cores = timing::available_cores();
    let free_before = timing::free_cores();
    let server = match Server::start(Config::delay(DELAY).body_size(BODY)) {
        Ok(server) => server,
        Err(err) => {
            eprintln!("bench: could not start the loopback server: {err}");
            return ExitCode::FAILURE;
        }
    };
    let addr = server.addr();
    let pages: Vec<u64> = (0..PAGES as u64).map(|n| n * 7919 % 100_003).collect();
    // One page's digest costs about as much CPU time as its download waits.
    let work = Work::calibrated(DELAY, BODY);

    let mut versions = vec![
        Version::new("sequential", sequential),
        Version::new(
            "threads under one GIL (Python's threading)",
            threads_under_the_gil,
        ),
        Version::new("async only, one thread (asyncio)", async_only),
        Version::new("rayon only (a pool of one worker per core)", rayon_only),
        Version::new("Rust threads, one per page, no GIL", thread_per_page),
        Version::new("two stages, one after the other", two_stages),
        Version::new("pipeline: async downloads, rayon digests", pipeline),
    ];
    let expected = match sequential(addr, &pages, &work) {
        Ok(digests) => digests,
        Err(err) => {
            eprintln!("bench: the sequential version failed: {err}");
            return ExitCode::FAILURE;
        }
    };
    for _ in 0..ROUNDS {
        for version in &mut versions {
            if let Err(err) = version.run(&server, &pages, &work, &expected) {
                eprintln!("bench: {}: {err}", version.label);
                return ExitCode::FAILURE;
            }
        }
    }
    let free_after = timing::free_cores();

    println!(
        "chapter 12 bench: the reference solution, {} build",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    println!(
        "cores: {cores} available; free-core probe {free_before:.2} before, {free_after:.2} after \
         ({})",
        if free_before.min(free_after) >= 0.85 * cores as f64 {
            "the machine was quiet"
        } else {
            "the machine was busy: the figures below are less sure than on idle cores"
        }
    );
    println!(
        "work: {PAGES} pages of {BODY} bytes, {} ms delay each; digesting one page ({} rounds \
         of SHA-256) calibrated to about {} ms; each figure is the fastest of {ROUNDS} \
         interleaved runs",
        DELAY.as_millis(),
        work.rounds(),
        DELAY.as_millis()
    );
    println!();
    let pipeline_time = versions.last().map_or(Duration::MAX, |v| v.fastest);
    println!(
        "| version | fastest run | pipeline's speed-up over it | downloads in flight | \
         digests at once |"
    );
    println!("|---|---|---|---|---|");
    for version in &versions {
        println!(
            "| {} | {:.0} ms | {:.2}x | {} | {} |",
            version.label,
            version.fastest.as_secs_f64() * 1e3,
            version.fastest.as_secs_f64() / pipeline_time.as_secs_f64(),
            version.in_flight,
            version.digests_at_once
        );
    }
    ExitCode::SUCCESS
}

/// One measured version: its label, its code, its fastest run so far and what the
/// server and the digests saw in its last run.
struct Version {
    label: &'static str,
    run: Run,
    fastest: Duration,
    in_flight: usize,
    digests_at_once: usize,
}

impl Version {
    fn new(label: &'static str, run: Run) -> Version {
        Version {
            label,
            run,
            fastest: Duration::MAX,
            in_flight: 0,
            digests_at_once: 0,
        }
    }

    fn run(
        &mut self,
        server: &Server,
        pages: &[u64],
        work: &Work,
        expected: &[Digest],
    ) -> io::Result<()> {
        server.reset_peak();
        work.activity().clear();
        let start = Instant::now();
        let digests = (self.run)(server.addr(), pages, work)?;
        self.fastest = self.fastest.min(start.elapsed());
        if digests != expected {
            return Err(io::Error::other(
                "gave other digests than the sequential version",
            ));
        }
        self.in_flight = server.stats().peak_open;
        self.digests_at_once = work.activity().report().max_concurrent;
        Ok(())
    }
}

/// Plain Rust threads, one per page, each downloading and then digesting its page.
/// No GIL: the digests share every core.
fn thread_per_page(addr: SocketAddr, pages: &[u64], work: &Work) -> io::Result<Vec<Digest>> {
    std::thread::scope(|scope| {
        let threads: Vec<_> = pages
            .iter()
            .map(|&page| scope.spawn(move || work.digest(page, &fetch_blocking(addr, page)?)))
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// The pipeline's two stages without the overlap: every download first, then every
/// digest.
fn two_stages(addr: SocketAddr, pages: &[u64], work: &Work) -> io::Result<Vec<Digest>> {
    let (sender, arrived) = mpsc::channel();
    download_all(addr, pages, sender)?;
    digest_all(arrived, pages, work)
}
