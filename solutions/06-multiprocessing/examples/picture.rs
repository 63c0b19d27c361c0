//! The picture of chapter 06: the same four CPU-bound jobs on two threads under one GIL,
//! then on two worker processes, each with its own interpreter and GIL, drawn on one
//! time axis from a real run.
//!
//! ```text
//! cargo run -q --release -p sol06-multiprocessing --example picture -- --out src/img
//! ```
//!
//! (`cargo xtask pictures` runs it with the book's other pictures.) Like the bench, the
//! program is its own worker: started with `--worker`, it serves jobs.

use std::io;
use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use multiprocessing::{Job, Pool, gil_threads_map, serve};
use python_model::Interpreter;
use timeline::{Lane, State, Timeline, lanes_from_trace};

const FILE: &str = "06-threads-vs-processes.svg";
const COMMAND: &str =
    "cargo run -q --release -p sol06-multiprocessing --example picture -- --out src/img";
const JOBS: usize = 4;
const WORKERS: usize = 2;

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("--worker") {
        return match serve(io::stdin().lock(), io::stdout().lock()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("picture --worker: {err}");
                ExitCode::FAILURE
            }
        };
    }
    timeline::picture_main(draw)
}

/// This same program, as a worker.
fn launch() -> Command {
    let mut command =
        Command::new(std::env::current_exe().expect("a program can find its own path"));
    command.arg("--worker");
    command
}

fn draw(out: &std::path::Path) -> io::Result<()> {
    // About 25 ms of Python per job: long enough to see, short enough for a picture.
    let iterations = timing::size_work(Duration::from_millis(25), |n| {
        gil_threads_map(&[Job::Cpu { iterations: n }], 1)
    });
    let jobs = vec![Job::Cpu { iterations }; JOBS];
    wait_for_free_cores();

    // Threads: the same work as `gil_threads_map`, on an interpreter that keeps a trace.
    let interpreter = Interpreter::builder().trace(true).build();
    let next = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..WORKERS)
        .map(|t| {
            let (jobs, next) = (jobs.clone(), Arc::clone(&next));
            interpreter.spawn(&format!("Thread-{}", t + 1), move |py| {
                while let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    job.run(py);
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("a CPU job does not panic");
    }
    let log = interpreter
        .trace()
        .expect("the interpreter was built with a trace");
    let thread_lanes = shift_to_zero(lanes_from_trace(&log, |_| State::BlockedIo));
    let threads_ns = end_of(&thread_lanes);

    // Processes: a pool of real workers; each job's interval comes back in its reply.
    let mut pool = Pool::new(WORKERS, launch)?;
    pool.map(&[Job::Cpu { iterations: 0 }; WORKERS]); // workers started and warm
    let outputs: Vec<_> = pool
        .map(&jobs)
        .into_iter()
        .collect::<Result<_, _>>()
        .map_err(|e| io::Error::other(format!("a worker failed: {e}")))?;
    let mut pids: Vec<u32> = outputs.iter().map(|o| o.pid).collect();
    pids.sort_unstable();
    pids.dedup();
    let process_lanes: Vec<Lane> = pids
        .iter()
        .enumerate()
        .map(|(i, pid)| {
            outputs
                .iter()
                .filter(|o| o.pid == *pid)
                .fold(Lane::new(format!("Process-{}", i + 1)), |lane, o| {
                    lane.span(o.interval.start_ns, o.interval.end_ns, State::HoldingGil)
                })
        })
        .collect();
    let process_lanes = shift_to_zero(process_lanes);
    let processes_ns = end_of(&process_lanes);
    drop(pool);

    let ms = |ns: u64| ns as f64 / 1e6;
    // Each job's own length, as a worker process measured it (no GIL to share there).
    let job_ns = outputs
        .iter()
        .map(|o| o.interval.end_ns - o.interval.start_ns)
        .sum::<u64>()
        / JOBS as u64;
    let facts = format!(
        "{JOBS} jobs of {:.0} ms each: 2 threads under one GIL {:.0} ms, 2 worker processes {:.0} ms ({:.2}x)",
        ms(job_ns),
        ms(threads_ns),
        ms(processes_ns),
        threads_ns as f64 / processes_ns as f64
    );
    let svg = Timeline::new("Four CPU-bound jobs: 2 threads under one GIL, then 2 processes")
        .caption(facts.clone())
        .description(format!(
            "Two Python threads share one GIL, so only one of them runs at a time and they \
             take turns; two worker processes each have their own GIL and run at the same \
             time. Both runs start at 0 ms. {facts}."
        ))
        .label(State::HoldingGil, "running Python (holds its GIL)")
        .lanes(thread_lanes)
        .lanes(process_lanes)
        .to_svg();
    std::fs::create_dir_all(out)?;
    let path = out.join(FILE);
    std::fs::write(&path, svg)?;
    println!("{}: {facts}", path.display());
    println!(
        "(measured on {} cores; regenerate with `{COMMAND}`)",
        timing::available_cores()
    );
    Ok(())
}

/// The lanes moved so that the earliest span starts at 0.
fn shift_to_zero(lanes: Vec<Lane>) -> Vec<Lane> {
    let start = lanes
        .iter()
        .flat_map(|l| l.spans().iter().map(|s| s.start_ns))
        .min()
        .unwrap_or(0);
    lanes
        .into_iter()
        .map(|lane| {
            lane.spans()
                .iter()
                .fold(Lane::new(lane.label()), |shifted, s| {
                    shifted.span(s.start_ns - start, s.end_ns - start, s.state)
                })
        })
        .collect()
}

fn end_of(lanes: &[Lane]) -> u64 {
    lanes
        .iter()
        .flat_map(|l| l.spans().iter().map(|s| s.end_ns))
        .max()
        .unwrap_or(0)
}

/// Waits (up to about 20 s) for 2 free cores: with a neighbour on one core, the two
/// processes take turns too and the picture would show the machine, not the lesson.
fn wait_for_free_cores() {
    for _ in 0..20 {
        if timing::free_cores_among(2) >= 1.7 {
            return;
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    eprintln!("picture: warning: 2 cores were not free; the processes may not overlap in this run");
}
