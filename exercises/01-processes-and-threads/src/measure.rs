//! Written for you: what the table measures, the notes' rows it reprints, and how
//! it prints numbers. The reference solution compiles this very file, so the
//! measurement is the same whichever crate runs it.

use super::*;

/// What one process and one thread cost on this machine.
#[derive(Debug, Clone, Copy)]
pub struct Costs {
    /// Starting one process and waiting for it to exit.
    pub process_creation: Duration,
    /// Starting one thread and joining it.
    pub thread_creation: Duration,
    /// One request and its reply over the pipes of a running child.
    pub pipe_round_trip: Duration,
    /// One message and its reply over a pair of channels to a running thread.
    pub channel_round_trip: Duration,
    /// One update of memory that threads share: lock a `Mutex`, add one, unlock.
    pub shared_update: Duration,
}

/// The notes' comparison, one row per feature: (feature, process, thread).
pub const NOTES: [(&str, &str, &str); 6] = [
    (
        "isolation",
        "own memory: a change in the child never reaches the parent",
        "shared memory: every thread sees every change",
    ),
    (
        "resources",
        "its own memory, file handles and environment",
        "those of its process, shared with the other threads",
    ),
    (
        "creation",
        "slow, heavy: a new program is loaded",
        "fast, light: a new stack in the same program",
    ),
    (
        "communication",
        "through the OS (IPC): pipes, sockets, files",
        "direct: shared memory, channels",
    ),
    (
        "context switching",
        "slower: the CPU changes address space",
        "faster: the address space stays",
    ),
    (
        "use case",
        "separate, independent programs",
        "tasks inside one program: background work, a responsive UI",
    ),
];

/// A duration the way the table prints it: `850 ns`, `23.4 µs`, `1.27 ms`, `2.50 s`.
pub fn format_duration(d: Duration) -> String {
    let nanos = d.as_nanos();
    if nanos < 1_000 {
        format!("{nanos} ns")
    } else if nanos < 1_000_000 {
        format!("{:.1} µs", nanos as f64 / 1e3)
    } else if nanos < 1_000_000_000 {
        format!("{:.2} ms", nanos as f64 / 1e6)
    } else {
        format!("{:.2} s", nanos as f64 / 1e9)
    }
}

/// How many times `a` is `b`.
pub fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-12)
}

// ANCHOR: measure
/// How many threads or processes one measurement starts, and how many messages
/// one round-trip measurement sends.
const BATCH: usize = 20;
const MESSAGES: u32 = 200;
/// Each figure is the fastest of this many measurements: a pause caused by
/// another program on the machine only ever adds time.
const ROUNDS: usize = 5;

/// Measures the four costs of the table with the functions above; `child`
/// starts the child program (the one whose loop is `serve`).
pub fn measure_costs(child: &mut Command) -> io::Result<Costs> {
    let thread_creation = fastest(|| {
        start_threads(BATCH);
        Ok(())
    })? / BATCH as u32;
    let process_creation = fastest(|| start_processes(child, BATCH).map(drop))? / BATCH as u32;

    let mut worker = ChildWorker::spawn(child)?;
    worker.ask("pid")?; // the first answer also waits for the child to start
    let pipe_round_trip = fastest(|| {
        for _ in 0..MESSAGES {
            worker.ask("add 1")?;
        }
        Ok(())
    })? / MESSAGES;
    let status = worker.finish()?;
    if !status.success() {
        return Err(io::Error::other(format!("the child exited with {status}")));
    }

    let channel_round_trip = channel_round_trip();
    let shared_update = shared_update();
    Ok(Costs {
        process_creation,
        thread_creation,
        pipe_round_trip,
        channel_round_trip,
        shared_update,
    })
}

/// One message to a running thread and its reply, over two channels.
fn channel_round_trip() -> Duration {
    let (to_thread, requests) = mpsc::channel::<u64>();
    let (to_main, replies) = mpsc::channel::<u64>();
    let echo = thread::spawn(move || {
        for n in requests {
            to_main
                .send(n + 1)
                .expect("the main thread waits for every reply");
        }
    });
    let round_trips = fastest(|| {
        for n in 0..u64::from(MESSAGES) {
            to_thread
                .send(n)
                .expect("the echo thread runs until the channel closes");
            replies
                .recv()
                .expect("the echo thread answers every message");
        }
        Ok(())
    })
    .expect("channel round trips cannot fail");
    drop(to_thread);
    echo.join().expect("the echo thread does not panic");
    round_trips / MESSAGES
}

/// One update of a counter behind a `Mutex`, the way threads share memory.
fn shared_update() -> Duration {
    const UPDATES: u32 = 100_000;
    let counter = Mutex::new(0_u64);
    let updates = fastest(|| {
        for _ in 0..UPDATES {
            *counter
                .lock()
                .expect("nothing panics while holding this lock") += 1;
        }
        Ok(())
    })
    .expect("updating a counter cannot fail");
    updates / UPDATES
}

/// The shortest of `ROUNDS` timed runs of `work`.
fn fastest(mut work: impl FnMut() -> io::Result<()>) -> io::Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..ROUNDS {
        let began = Instant::now();
        work()?;
        best = best.min(began.elapsed());
    }
    Ok(best)
}
// ANCHOR_END: measure
