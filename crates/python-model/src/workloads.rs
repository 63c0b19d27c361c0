//! The workloads of the CPython comparison, run on the model: CPU-bound tasks, blocking
//! waits, round trips beside a CPU-bound thread, and the two counter races. Each mirrors a
//! program in the course's `src/python/` folder.

use std::io::{self, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::bytecode::Program;
use crate::eval::EvalError;
use crate::interpreter::Interpreter;

/// `tasks` CPU-bound tasks of `iterations` turns each, one after the other on one Python
/// thread. Returns the wall time.
pub fn cpu_tasks_sequential(interp: &Interpreter, tasks: usize, iterations: u64) -> Duration {
    let start = Instant::now();
    interp.run("main", |py| {
        for _ in 0..tasks {
            py.cpu_work(iterations);
        }
    });
    start.elapsed()
}

/// The same tasks, one Python thread each, all started at once. Returns the wall time
/// from the first start to the last join.
pub fn cpu_tasks_threads(interp: &Interpreter, tasks: usize, iterations: u64) -> Duration {
    let start = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|i| interp.spawn(&format!("cpu-{i}"), move |py| py.cpu_work(iterations)))
        .collect();
    for h in handles {
        // A CPU task cannot panic; if one did, its time is still part of the run.
        let _ = h.join();
    }
    start.elapsed()
}

/// `count` blocking waits (`time.sleep(each)`) one after the other on one Python thread.
pub fn sleeps_sequential(interp: &Interpreter, count: usize, each: Duration) -> Duration {
    let start = Instant::now();
    interp.run("main", |py| {
        for _ in 0..count {
            py.sleep(each);
        }
    });
    start.elapsed()
}

/// The same waits, one Python thread each.
pub fn sleeps_threads(interp: &Interpreter, count: usize, each: Duration) -> Duration {
    let start = Instant::now();
    let handles: Vec<_> = (0..count)
        .map(|i| interp.spawn(&format!("sleeper-{i}"), move |py| py.sleep(each)))
        .collect();
    for h in handles {
        let _ = h.join();
    }
    start.elapsed()
}

/// Round trips through an echo server: each writes one byte and reads it back, both as
/// blocking calls that release the GIL (like `os.write`/`os.read`). Runs on a Python thread
/// of `interp`; when `beside_cpu`, a second Python thread spins on CPU work meanwhile.
/// Returns how long each measured trip took (after `warmup` unmeasured ones).
pub fn round_trips<W, R>(
    interp: &Interpreter,
    mut to_server: W,
    mut from_server: R,
    warmup: usize,
    count: usize,
    beside_cpu: bool,
) -> io::Result<Vec<Duration>>
where
    W: Write + Send + 'static,
    R: Read + Send + 'static,
{
    let stop = Arc::new(AtomicBool::new(false));
    let spinner = beside_cpu.then(|| {
        let stop = Arc::clone(&stop);
        interp.spawn("cpu", move |py| {
            let mut turns = 0u64;
            while !stop.load(Ordering::Relaxed) {
                py.cpu_work(1_000);
                turns += 1_000;
            }
            turns
        })
    });
    if spinner.is_some() {
        // Let the CPU-bound thread get going, as the Python program does.
        std::thread::sleep(Duration::from_millis(20));
    }
    let io = interp.spawn("io", move |py| -> io::Result<Vec<Duration>> {
        let mut times = Vec::with_capacity(count);
        let mut byte = [0u8; 1];
        for i in 0..warmup + count {
            let start = Instant::now();
            py.blocking(|| to_server.write_all(b"x").and_then(|()| to_server.flush()))?;
            let n = py.blocking(|| from_server.read(&mut byte))?;
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the echo server hung up",
                ));
            }
            if i >= warmup {
                times.push(start.elapsed());
            }
        }
        Ok(times)
    });
    let result = io
        .join()
        .unwrap_or_else(|_| Err(io::Error::other("the round-trip thread panicked")));
    stop.store(true, Ordering::Relaxed);
    if let Some(spinner) = spinner {
        let _ = spinner.join();
    }
    result
}

/// How many updates a counter race lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LostUpdates {
    /// Threads times increments per thread.
    pub expected: i64,
    /// The counter's final value.
    pub counted: i64,
}

impl LostUpdates {
    /// The share of increments that were lost, from 0.0 to 1.0.
    pub fn lost_fraction(&self) -> f64 {
        if self.expected == 0 {
            return 0.0;
        }
        (self.expected - self.counted) as f64 / self.expected as f64
    }
}

/// Sets the global `counter` to 0, runs `program`'s `entry(per_thread)` on `threads` Python
/// threads at once, and reports the final count.
pub fn lost_updates(
    interp: &Interpreter,
    program: &Program,
    entry: &str,
    threads: usize,
    per_thread: i64,
) -> Result<LostUpdates, EvalError> {
    interp.globals().set("counter", 0);
    let program = Arc::new(program.clone());
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let program = Arc::clone(&program);
            let entry = entry.to_string();
            interp.spawn(&format!("adder-{i}"), move |py| {
                py.call(&program, &entry, &[per_thread])
            })
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        match h.join() {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => return Err(e),
            Err(_) => return Err(EvalError::ThreadPanicked(format!("adder-{i}"))),
        }
    }
    Ok(LostUpdates {
        expected: i64::try_from(threads)
            .unwrap_or(i64::MAX)
            .saturating_mul(per_thread),
        counted: interp.globals().get("counter").unwrap_or(0),
    })
}
