//! Two CPU-bound threads trading the GIL at CPython's default switch interval (5 ms), on
//! this solution's `MyGil` and on the model's `ReferenceGil`: how many hand-offs, how long
//! one takes, how long a thread waits for its turn. Every figure comes from the trace.
//!
//! cargo xtask bench 04

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use python_model::{DropReason, EventKind, Gil, Interpreter, ReferenceGil, ThreadId};
use the_gil::MyGil;

/// How long each run lets the two threads trade the GIL: about 400 switch intervals.
const RUN_FOR: Duration = Duration::from_secs(2);

fn main() {
    // Other programs on the machine stretch waits: say how much of it was ours.
    let free = timing::free_cores();
    println!(
        "two CPU-bound threads for {} s at the default switch interval (5 ms); {free:.1} of {} cores free",
        RUN_FOR.as_secs(),
        timing::available_cores()
    );
    let gils: [(&str, Arc<dyn Gil>); 2] = [
        ("MyGil (this solution)", Arc::new(MyGil::new())),
        ("ReferenceGil (the model's)", Arc::new(ReferenceGil::new())),
    ];
    for (name, gil) in gils {
        let interval = gil.switch_interval();
        // ANCHOR: run
        let interp = Interpreter::builder().gil(gil).trace(true).build();
        let stop = Arc::new(AtomicBool::new(false));
        let threads: Vec<_> = (0..2)
            .map(|i| {
                let stop = Arc::clone(&stop);
                // while True: x = (x * 31 + i) % 1000003, in two threads
                interp.spawn(&format!("cpu-{i}"), move |py| {
                    while !stop.load(Ordering::Relaxed) {
                        py.cpu_work(10_000);
                    }
                })
            })
            .collect();
        std::thread::sleep(RUN_FOR);
        stop.store(true, Ordering::Relaxed);
        for thread in threads {
            thread.join().expect("a CPU-bound thread panicked");
        }
        let trace = interp.trace().expect("tracing is on");
        // A hand-off: the holder drops the GIL at a check point, the other thread takes it.
        let mut latencies: Vec<Duration> = trace.handoffs().iter().map(|h| h.latency()).collect();
        // A wait: from calling take_gil to holding the GIL.
        let mut waits: Vec<Duration> = trace.waits().into_iter().map(|(_, w)| w).collect();
        // A turn: from taking the GIL to letting go of it.
        let mut turns: Vec<Duration> = trace
            .holds()
            .iter()
            .map(|h| Duration::from_nanos(h.end_ns - h.start_ns))
            .collect();
        // ANCHOR_END: run
        // After a forced drop: how soon the thread that let go queued for the GIL again (it
        // sleeps in drop_gil until the other thread took the GIL and woke it).
        let mut requeues = Vec::new();
        let mut dropped_at: HashMap<ThreadId, u64> = HashMap::new();
        for e in &trace.events {
            match e.kind {
                EventKind::Drop {
                    reason: DropReason::Requested,
                } => {
                    dropped_at.insert(e.thread, e.t_ns);
                }
                EventKind::WaitStart => {
                    if let Some(at) = dropped_at.remove(&e.thread) {
                        requeues.push(Duration::from_nanos(e.t_ns - at));
                    }
                }
                _ => {}
            }
        }
        let handoffs = latencies.len();
        println!(
            "{name}: {handoffs} hand-offs ({:.0} a second); hand-off latency median {:.1} µs, 99th \
             percentile {:.1} µs",
            handoffs as f64 / RUN_FOR.as_secs_f64(),
            micros(percentile(&mut latencies, 50)),
            micros(percentile(&mut latencies, 99)),
        );
        println!(
            "    a turn lasted {:.2} ms (median; 90th percentile {:.2} ms); a thread waited for the GIL \
             {:.2} ms (median of {}); after a forced drop it queued again {:.3} ms later (median)",
            millis(percentile(&mut turns, 50)),
            millis(percentile(&mut turns, 90)),
            millis(percentile(&mut waits, 50)),
            waits.len(),
            millis(percentile(&mut requeues, 50)),
        );
        let regrabs = trace.handoffs().iter().filter(|h| h.from == h.to).count();
        println!(
            "    switch interval {} ms; holders at once at most {}; regrabs after a forced drop {regrabs}",
            interval.as_secs_f64() * 1e3,
            trace.max_simultaneous_holders(),
        );
    }
}

/// The `p`th percentile of `xs` (sorted in place); zero for no samples.
fn percentile(xs: &mut [Duration], p: usize) -> Duration {
    xs.sort();
    match xs.len() {
        0 => Duration::ZERO,
        n => xs[(n - 1) * p / 100],
    }
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
