//! `book-pictures`: runs real workloads on the Python runtime model with tracing on and
//! draws the book's timelines into `src/img/`, printing one line of measured facts per
//! picture for the pages to quote.
//!
//! `cargo run -q --release -p course-tools --bin book-pictures -- --out src/img`

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Parser;
use python_model::{DEFAULT_SWITCH_INTERVAL, Interpreter, ThreadId, TraceLog, workloads};
use timeline::{State, Timeline, lanes_from_trace};
use timing::stats::median;

/// The command that regenerates the pictures, printed with them.
const COMMAND: &str = "cargo run -q --release -p course-tools --bin book-pictures -- --out src/img";

const MS: u64 = 1_000_000;

/// Draws the book's GIL timelines from real runs of the Python runtime model.
#[derive(Parser)]
#[command(name = "book-pictures")]
struct Cli {
    /// The folder the SVG files are written to (created if missing).
    #[arg(long, default_value = "src/img")]
    out: PathBuf,
}

fn main() {
    let cli = Cli::parse();
    if let Err(e) = run(&cli) {
        eprintln!("book-pictures: {e:#}");
        std::process::exit(1);
    }
}

fn run(cli: &Cli) -> Result<()> {
    std::fs::create_dir_all(&cli.out)
        .with_context(|| format!("could not create the folder {}", cli.out.display()))?;
    let draws: [fn() -> Result<Picture>; 2] = [two_cpu_threads, io_behind_cpu];
    for draw in draws {
        let free = wait_for_free_cores();
        let picture = draw()?;
        let path = cli.out.join(picture.file);
        write(&path, &picture.svg)?;
        say(&format!("{}: {}", picture.file, picture.facts));
        if !free {
            say(&format!(
                "  warning: fewer than {NEEDED_CORES} cores were free, so this run may not show what a \
                 quiet machine shows; run it again when the machine is idle"
            ));
        }
    }
    let cores = timing::available_cores();
    say(&format!(
        "(measured on {cores} cores; regenerate with `{COMMAND}`)"
    ));
    Ok(())
}

/// Prints a line; a closed stdout (`| head`) is not an error worth a panic.
fn say(line: &str) {
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// Cores the pictures need free: one per thread of the model that runs at once.
const NEEDED_CORES: usize = 2;

/// Waits (up to about 20 s) until `NEEDED_CORES` cores are free: with a neighbour on one
/// core, the CPU-bound thread is often off the CPU when the I/O thread comes back, and
/// the convoy does not form. Returns whether they were free.
fn wait_for_free_cores() -> bool {
    let needed = NEEDED_CORES.min(timing::available_cores());
    for _ in 0..20 {
        if timing::free_cores_among(needed) >= needed as f64 * 0.85 {
            return true;
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    false
}

struct Picture {
    file: &'static str,
    svg: String,
    facts: String,
}

fn write(path: &Path, svg: &str) -> Result<()> {
    std::fs::write(path, svg).with_context(|| format!("could not write {}", path.display()))
}

/// Iterations of `PyThread::cpu_work` per millisecond on one uncontended thread, the
/// fastest of three tries.
fn cpu_iterations_per_ms() -> u64 {
    const PROBE: u64 = 300_000;
    let interp = Interpreter::new();
    let best = (0..3)
        .map(|_| {
            let start = Instant::now();
            interp.run("calibrate", |py| py.cpu_work(PROBE));
            start.elapsed()
        })
        .min()
        .unwrap_or(Duration::from_millis(1));
    (PROBE as f64 / (best.as_secs_f64() * 1e3)).max(1.0) as u64
}

/// (a) Two CPU-bound threads trading the GIL about every switch interval.
fn two_cpu_threads() -> Result<Picture> {
    const WORK_MS: u64 = 20;
    let iterations = cpu_iterations_per_ms() * WORK_MS;
    let interp = Interpreter::builder().trace(true).build();
    let handles: Vec<_> = ["Thread-1", "Thread-2"]
        .into_iter()
        .map(|name| interp.spawn(name, move |py| py.cpu_work(iterations)))
        .collect();
    for handle in handles {
        if handle.join().is_err() {
            bail!("a CPU-bound thread panicked");
        }
    }
    let log = interp.trace().context("tracing was on")?;
    let (start, end) = extent(&log).context("the trace is empty")?;

    let median_hold = median(
        &log.holds()
            .iter()
            .map(|h| (h.end_ns - h.start_ns) as f64 / 1e6)
            .collect::<Vec<f64>>(),
    );
    let handoffs = log.handoffs();
    let switches = handoffs.iter().filter(|h| h.to != h.from).count();
    let latency = median(
        &handoffs
            .iter()
            .map(|h| h.latency().as_secs_f64() * 1e6)
            .collect::<Vec<f64>>(),
    );
    let interval = interp.switch_interval();
    let facts = format!(
        "2 CPU-bound threads, {WORK_MS} ms of work each, switch interval {}: {} ms in all, \
         {switches} forced hand-offs, median hold {median_hold:.2} ms, median hand-off {latency:.0} µs, \
         at most {} holder at a time",
        ms_text(interval),
        fmt_ms(end - start),
        log.max_simultaneous_holders()
    );
    let svg = Timeline::new("Two CPU-bound threads under one GIL")
        .caption(format!(
            "{switches} hand-offs, median hold {median_hold:.2} ms (switch interval {})",
            ms_text(interval)
        ))
        .description(format!(
            "A real run of the course's Python runtime model: two threads each run {WORK_MS} ms \
             of CPU-bound Python. Only one holds the GIL at a time; the other waits a switch \
             interval, sets the drop request, and the holder lets go at its next check point, \
             so they take turns about every {}",
            ms_text(interval)
        ))
        .lanes(lanes_from_trace(&log, |_| State::BlockedIo))
        .window(start, end)
        .to_svg();
    Ok(Picture {
        file: "04-two-cpu-threads.svg",
        svg,
        facts,
    })
}

/// (b) An I/O thread doing tiny blocking round trips behind a CPU-bound thread: the
/// convoy effect.
fn io_behind_cpu() -> Result<Picture> {
    const WINDOW_MS: u64 = 40;
    const TRIPS: usize = 12;

    // Each round trip alone, for comparison: no CPU-bound thread beside it.
    let (to_server, from_server, server) = echo_server()?;
    let alone = workloads::round_trips(&Interpreter::new(), to_server, from_server, 50, 500, false)
        .context("the round trips alone failed")?;
    join_server(server)?;

    let interp = Interpreter::builder().trace(true).build();
    let (to_server, from_server, server) = echo_server()?;
    let beside = workloads::round_trips(&interp, to_server, from_server, 0, TRIPS, true)
        .context("the round trips beside a CPU-bound thread failed")?;
    join_server(server)?;
    let log = interp.trace().context("tracing was on")?;

    let io = thread_named(&log, "io")?;
    let io_start = log
        .events_of(io)
        .next()
        .map(|e| e.t_ns)
        .context("the I/O thread recorded nothing")?;
    let io_end = log.events_of(io).last().map_or(io_start, |e| e.t_ns);
    let start = io_start.saturating_sub(2 * MS);
    let end = (start + WINDOW_MS * MS).min(io_end + MS);

    // A return from a blocking call either finds the GIL free (the CPU-bound thread had
    // not woken up yet) or finds it taken and waits; the second kind is the convoy.
    let io_waits: Vec<f64> = log
        .waits()
        .iter()
        .filter(|(t, _)| *t == io)
        .map(|(_, d)| d.as_secs_f64() * 1e3)
        .collect();
    let long_waits: Vec<f64> = io_waits.iter().copied().filter(|&w| w >= 1.0).collect();
    let alone_us = median(&alone.iter().map(|d| d.as_secs_f64() * 1e6).collect::<Vec<f64>>());
    let beside_ms = median(&beside.iter().map(|d| d.as_secs_f64() * 1e3).collect::<Vec<f64>>());
    let interval = interp.switch_interval();
    let facts = format!(
        "1-byte round trips to an echo thread that works 20 µs on each, over a Unix socket, each a \
         blocking write and a blocking read: alone median {alone_us:.0} µs; beside a CPU-bound thread median {beside_ms:.2} ms \
         ({:.0}x, {TRIPS} trips); the I/O thread asked for the GIL {} times: {} times it waited \
         (median {:.2} ms), {} times it got it back within 1 ms (switch interval {})",
        beside_ms * 1e3 / alone_us,
        io_waits.len(),
        long_waits.len(),
        median(&long_waits),
        io_waits.len() - long_waits.len(),
        ms_text(interval)
    );
    let lanes = lanes_from_trace(&log, |info| {
        if info.name == "io" {
            State::BlockedIo
        } else {
            State::Sleeping
        }
    })
    .into_iter()
    .map(|lane| match lane.label() {
        "io" => lane.relabel("I/O thread"),
        "cpu" => lane.relabel("CPU thread"),
        _ => lane,
    });
    let svg = Timeline::new("An I/O thread behind a CPU-bound thread (the convoy effect)")
        .caption(format!(
            "round trip alone {alone_us:.0} µs, beside the CPU thread {beside_ms:.2} ms; \
             a return from I/O that found the GIL taken waited {:.2} ms",
            median(&long_waits)
        ))
        .description(format!(
            "A real run of the course's Python runtime model. The I/O thread's blocking calls \
             take microseconds and release the GIL; the CPU-bound thread takes it at once, and \
             each time the I/O call returns the I/O thread waits a whole switch interval ({}) \
             before its drop request gets the GIL back",
            ms_text(interval)
        ))
        .lanes(lanes)
        .window(start, end)
        .to_svg();
    Ok(Picture {
        file: "05-io-behind-cpu.svg",
        svg,
        facts,
    })
}

/// How long the echo server works on each reply, as the echo server of the course's
/// `src/python/convoy.py` does ("tiny round trips": about 20 µs of server time).
const SERVER_THINK: Duration = Duration::from_micros(20);

/// A plain Rust thread that answers every byte after `SERVER_THINK` of work, over a Unix
/// socket; returns the client's writing and reading ends and the server's handle. The
/// server ends when both client ends are dropped.
fn echo_server() -> Result<(UnixStream, UnixStream, std::thread::JoinHandle<()>)> {
    let (client, mut server) = UnixStream::pair().context("could not create a socket pair")?;
    let reader = client
        .try_clone()
        .context("could not clone the client socket")?;
    let handle = std::thread::Builder::new()
        .name("echo".into())
        .spawn(move || {
            let mut buf = [0u8; 64];
            while let Ok(n @ 1..) = server.read(&mut buf) {
                let start = Instant::now();
                while start.elapsed() < SERVER_THINK {
                    std::hint::spin_loop();
                }
                if server.write_all(&buf[..n]).is_err() {
                    return;
                }
            }
        })
        .context("could not start the echo thread")?;
    Ok((client, reader, handle))
}

fn join_server(server: std::thread::JoinHandle<()>) -> Result<()> {
    server
        .join()
        .map_err(|_| anyhow::anyhow!("the echo thread panicked"))
}

fn thread_named(log: &TraceLog, name: &str) -> Result<ThreadId> {
    log.threads
        .iter()
        .find(|t| t.name == name)
        .map(|t| t.id)
        .with_context(|| format!("the trace has no thread called {name:?}"))
}

/// First and last event of the trace.
fn extent(log: &TraceLog) -> Option<(u64, u64)> {
    Some((log.events.first()?.t_ns, log.events.last()?.t_ns))
}


fn fmt_ms(ns: u64) -> String {
    format!("{:.1}", ns as f64 / 1e6)
}

fn ms_text(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if d == DEFAULT_SWITCH_INTERVAL || ms.fract() == 0.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.2} ms")
    }
}
