//! The benchmark of chapter 09: thread-per-connection against async, at 100 and 1,000
//! connections to the loopback server (200 ms before each answer): wall time and peak
//! memory.
//!
//! ```text
//! cargo xtask bench 09
//! (cargo run --release -p sol09-io-bound-showdown --example bench)
//! ```
//!
//! Each configuration runs in a child process of its own (this program, started again
//! with `--child`), so that its peak resident memory (`ru_maxrss` from `wait4`, which
//! reports that one child) is its own and not the largest of all. The server runs in the
//! parent, so its memory is in no child's figure.

use std::io;
use std::net::SocketAddr;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use io_bound_showdown::{fetch_async, fetch_with_threads};
use python_model::Interpreter;

const DELAY: Duration = Duration::from_millis(200);
const CONNECTIONS: [usize; 2] = [100, 1000];
const ROUNDS: usize = 3;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("--child") => child(&args[1..]),
        None => parent(),
        Some(other) => Err(io::Error::other(format!(
            "unknown argument {other:?}; run without arguments"
        ))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bench: {err}");
            ExitCode::FAILURE
        }
    }
}

/// One configuration, in this child process: `--child CLIENT CONNECTIONS ADDR`. Prints
/// the wall time in microseconds.
fn child(args: &[String]) -> io::Result<()> {
    let [client, connections, addr] = args else {
        return Err(io::Error::other(
            "usage: bench --child CLIENT CONNECTIONS ADDR",
        ));
    };
    let connections: usize = connections.parse().map_err(io::Error::other)?;
    let addr: SocketAddr = addr.parse().map_err(io::Error::other)?;
    loopback::raise_open_files_limit();
    let pages: Vec<u64> = (0..connections as u64).collect();
    let start = Instant::now();
    let replies = match client.as_str() {
        "nothing" => Ok(Vec::new()),
        "threads" => fetch_with_threads(&Interpreter::new(), addr, &pages, connections),
        "async" => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(fetch_async(addr, &pages)),
        other => return Err(io::Error::other(format!("unknown client {other:?}"))),
    }?;
    let wall = start.elapsed();
    if client != "nothing" {
        for (&n, reply) in pages.iter().zip(&replies) {
            if *reply != loopback::expected_reply(n, 64) {
                return Err(io::Error::other(format!("page {n}: wrong reply {reply:?}")));
            }
        }
    }
    println!("{}", wall.as_micros());
    Ok(())
}

/// Runs one configuration in a child; returns its wall time and peak RSS in KiB.
fn run_child(client: &str, connections: usize) -> io::Result<(Duration, u64)> {
    let server = loopback::Server::start(
        loopback::Config::delay(DELAY)
            .max_requests(connections.max(1))
            .lifetime(Duration::from_secs(60)),
    )?;
    let child = Command::new(std::env::current_exe()?)
        .args([
            "--child",
            client,
            &connections.to_string(),
            &server.addr().to_string(),
        ])
        .stdout(Stdio::piped())
        .spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut stdout = child.stdout.expect("stdout is piped");
    let mut text = String::new();
    io::Read::read_to_string(&mut stdout, &mut text)?;
    // wait4, not Child::wait: it reports this one child's resource use.
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet waited for; wait4 writes only to the two
    // pointers we pass.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if waited != pid {
        return Err(io::Error::last_os_error());
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(io::Error::other(format!(
            "the {client} child with {connections} connections failed"
        )));
    }
    let micros: u64 = text.trim().parse().map_err(io::Error::other)?;
    // Linux reports ru_maxrss in KiB.
    Ok((Duration::from_micros(micros), usage.ru_maxrss as u64))
}

fn parent() -> io::Result<()> {
    println!(
        "Each client fetches N pages at once from the loopback server ({} ms before each answer), \
         in a child process of its own; best wall time and largest peak RSS of {ROUNDS} runs.\n",
        DELAY.as_millis()
    );
    println!("| client | connections | wall time | peak RSS of the process |");
    println!("|---|---|---|---|");
    let (_, base) = run_child("nothing", 0)?;
    println!(
        "| none (the process alone) | 0 | - | {:.1} MiB |",
        base as f64 / 1024.0
    );
    for connections in CONNECTIONS {
        for (client, label) in [
            (
                "threads",
                "thread per connection (Python threads of the model)",
            ),
            (
                "async",
                "async, one tokio task per connection on one thread",
            ),
        ] {
            let mut best = Duration::MAX;
            let mut peak = 0;
            for _ in 0..ROUNDS {
                let (wall, rss) = run_child(client, connections)?;
                best = best.min(wall);
                peak = peak.max(rss);
            }
            println!(
                "| {label} | {connections} | {:.0} ms | {:.1} MiB |",
                best.as_secs_f64() * 1e3,
                peak as f64 / 1024.0
            );
        }
    }
    Ok(())
}
