//! The picture of chapter 03: what the three clocks see. Five tasks, each run on its
//! own and drawn from its own start: when its thread was on a CPU, when it was ready
//! but queued for a CPU, and when it waited for a timer or a server.
//!
//! ```text
//! cargo run -q --release -p sol03-cpu-bound-vs-io-bound --example picture -- --out src/img
//! ```
//!
//! (`cargo xtask pictures` runs it with the book's other pictures.) A computing task
//! finds out when it was off the CPU from its own clocks: between two looks at the wall
//! clock and its CPU clock, the wall time that is not CPU time was spent in a run queue.
//! A sleeping task reads its run-queue clock (`/proc/thread-self/schedstat`) to see how
//! long it waited for a CPU after its timer went off.

use std::io::{self, BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use cpu_bound_vs_io_bound::{Usage, clocks, measure};
use timeline::{Lane, State, Timeline};

#[path = "../../../exercises/03-cpu-bound-vs-io-bound/tests/tasks/mod.rs"]
mod tasks;

const FILE: &str = "03-what-the-clocks-see.svg";
const COMMAND: &str =
    "cargo run -q --release -p sol03-cpu-bound-vs-io-bound --example picture -- --out src/img";

/// The CPU time or the wait of the single tasks, as in the checks.
const TASK: Duration = Duration::from_millis(150);

/// A gap between two looks at the clocks longer than this, not spent on the CPU, is
/// drawn as time in the run queue.
const GAP: Duration = Duration::from_micros(100);

fn main() -> ExitCode {
    timeline::picture_main(draw)
}

/// One task's lane, on a clock that starts at the task's start.
struct Recorder {
    lane: Lane,
    origin: u64,
}

impl Recorder {
    fn new(label: &str) -> Recorder {
        Recorder {
            lane: Lane::new(label),
            origin: timing::monotonic_ns(),
        }
    }

    fn now(&self) -> u64 {
        timing::monotonic_ns() - self.origin
    }

    /// Computes until the thread has had `cpu` more CPU time, drawing the time on the
    /// CPU and, from the gaps its CPU clock did not see, the time in the run queue.
    fn compute(&mut self, cpu: Duration) {
        let start_cpu = clocks::thread_cpu();
        let (mut wall, mut used) = (self.now(), start_cpu);
        let mut x = 1u64;
        loop {
            for i in 0..500u64 {
                x = std::hint::black_box(x.rotate_left(5) ^ i).wrapping_mul(0x0100_0000_01b3);
            }
            let (wall_now, used_now) = (self.now(), clocks::thread_cpu());
            let on_cpu = ns(used_now.saturating_sub(used));
            let elapsed = wall_now - wall;
            if elapsed > on_cpu + ns(GAP) {
                // Off the CPU inside this step: it was ready to run all along, so it
                // waited for a CPU. Draw the computing first, then the queue.
                self.lane
                    .push_span(wall, wall + on_cpu, State::RunningWithoutGil);
                self.lane
                    .push_span(wall + on_cpu, wall_now, State::WaitingForGil);
            } else {
                self.lane
                    .push_span(wall, wall_now, State::RunningWithoutGil);
            }
            (wall, used) = (wall_now, used_now);
            if used_now.saturating_sub(start_cpu) >= cpu {
                std::hint::black_box(x);
                return;
            }
        }
    }

    /// Sleeps for `wait`, drawing the sleep and the time queued for a CPU after it.
    fn sleep(&mut self, wait: Duration) {
        self.wait(State::Sleeping, || thread::sleep(wait));
    }

    /// Runs `blocking`, drawn in `state`, then the time it queued for a CPU on waking.
    fn wait(&mut self, state: State, blocking: impl FnOnce()) {
        let start = self.now();
        let queued = clocks::thread_queued();
        blocking();
        let queued = ns(clocks::thread_queued().saturating_sub(queued));
        let end = self.now();
        let woke = end.saturating_sub(queued).max(start);
        self.lane.push_span(start, woke, state);
        self.lane.push_span(woke, end, State::WaitingForGil);
    }
}

fn ns(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Runs `task` on a fresh thread (or `sharing` a core with a busy thread), through the
/// solution's `measure`, and returns its lane and what `measure` saw.
fn run(label: &str, sharing: bool, task: impl FnOnce(&mut Recorder) + Send) -> (Lane, Usage) {
    let work = || {
        let mut recorder = Recorder::new(label);
        let ((), usage) = measure(|| task(&mut recorder));
        (recorder.lane, usage)
    };
    let (lane, usage) = thread::scope(|scope| {
        scope
            .spawn(|| {
                if sharing {
                    tasks::beside_a_busy_thread_on_the_same_core(work)
                } else {
                    work()
                }
            })
            .join()
            .expect("the task panicked")
    });
    println!("{label}: {}, share {:.2}", show(&usage), usage.cpu_share());
    (lane, usage)
}

fn show(usage: &Usage) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    format!(
        "wall {:.1} ms, cpu {:.1} ms, queued {:.1} ms",
        ms(usage.wall),
        ms(usage.cpu),
        ms(usage.queued)
    )
}

fn draw(out: &Path) -> io::Result<()> {
    let server = loopback::Server::start(
        loopback::Config::delay(Duration::from_millis(40))
            .max_requests(4)
            .lifetime(Duration::from_secs(60)),
    )?;
    let addr = server.addr();
    let runs = vec![
        run("compute", false, |r| r.compute(TASK)),
        run("compute, shared", true, |r| r.compute(TASK)),
        run("sleep", false, |r| r.sleep(TASK)),
        run("fetch 4 pages", false, |r| {
            for n in 0..4 {
                r.wait(State::BlockedIo, || {
                    let mut stream = TcpStream::connect(addr).expect("connect to the server");
                    stream
                        .write_all(format!("GET {n}\n").as_bytes())
                        .expect("send a request");
                    let mut line = String::new();
                    BufReader::new(stream)
                        .read_line(&mut line)
                        .expect("read the answer");
                });
            }
        }),
        run("compute + sleep", false, |r| {
            r.compute(TASK / 2);
            r.sleep(TASK / 2);
        }),
    ];
    drop(server);
    let shares: Vec<String> = runs
        .iter()
        .map(|(lane, usage)| format!("{} {:.2}", lane.label(), usage.cpu_share()))
        .collect();
    let timeline = Timeline::new("What the three clocks see")
        .label(State::RunningWithoutGil, "on a CPU (CPU time)")
        .label(State::WaitingForGil, "ready, queued for a CPU")
        .label(State::Sleeping, "sleeping (waiting for a timer)")
        .label(State::BlockedIo, "waiting for the server")
        .caption("Each task run on its own, drawn from its own start.")
        .description(format!(
            "Five tasks, each on a lane of its own starting at 0 ms: compute for 150 ms of \
             CPU time alone, the same sharing its core with a busy thread, sleep 150 ms, \
             fetch 4 pages from a server that answers after 40 ms, compute 75 ms then sleep \
             75 ms. The computing tasks are on a CPU except where another program or the \
             busy thread held their core; the waiting tasks are almost never on a CPU. The \
             CPU share is CPU time over the time not spent queued for a CPU: {}. Drawn by: \
             {COMMAND}",
            shares.join(", ")
        ))
        .lanes(runs.into_iter().map(|(lane, _)| lane));
    std::fs::create_dir_all(out)?;
    let path = out.join(FILE);
    std::fs::write(&path, timeline.to_svg())?;
    println!("wrote {}", path.display());
    Ok(())
}
