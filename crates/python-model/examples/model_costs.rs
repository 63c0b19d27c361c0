//! What the model itself costs: its overhead on a CPU-bound loop, and how long a forced
//! hand-off of the GIL takes between two CPU-bound threads.
//!
//! cargo run --release -p python-model --example model_costs

use std::time::{Duration, Instant};

use python_model::{Interpreter, work, workloads};

const TURNS: u64 = 6_000_000;
const ROUNDS: usize = 7;

fn main() {
    // (a) One CPU-bound loop with and without the model. Both do the same arithmetic and the
    // same traffic on an object heap (`work::unmodelled` on a heap of its own); the model adds
    // a relaxed load per back-edge and one take/drop of the GIL per thread. Interleaved
    // rounds, fastest of each.
    let interp = Interpreter::new();
    let (mut bare, mut modelled) = (Duration::MAX, Duration::MAX);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        work::unmodelled(TURNS);
        bare = bare.min(start.elapsed());
        let start = Instant::now();
        interp.run("main", |py| py.cpu_work(TURNS));
        modelled = modelled.min(start.elapsed());
    }
    println!(
        "(a) {TURNS} turns: without the model {:.1} ms ({:.1} ns a turn), in the model {:.1} ms: overhead {:+.1}%",
        ms(bare),
        bare.as_nanos() as f64 / TURNS as f64,
        ms(modelled),
        (modelled.as_secs_f64() / bare.as_secs_f64() - 1.0) * 100.0
    );
    // The same loop twice on two GIL threads (switching every 5 ms) against twice without.
    let (mut bare2, mut threads2) = (Duration::MAX, Duration::MAX);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        work::unmodelled(TURNS);
        work::unmodelled(TURNS);
        bare2 = bare2.min(start.elapsed());
        threads2 = threads2.min(workloads::cpu_tasks_threads(&interp, 2, TURNS));
    }
    println!(
        "    two such loops: without the model, one after the other {:.1} ms; on 2 threads under the GIL {:.1} ms: {:+.1}%",
        ms(bare2),
        ms(threads2),
        (threads2.as_secs_f64() / bare2.as_secs_f64() - 1.0) * 100.0
    );

    // (b) Forced hand-offs between two CPU-bound threads, from the trace: the holder's
    // Drop at a check point to the other thread's Take. The cost of a switch in all is
    // what two threads lose against one thread doing both tasks, per switch.
    for interval in [Duration::from_millis(5), Duration::from_micros(100)] {
        let interp = Interpreter::builder()
            .switch_interval(interval)
            .trace(true)
            .build();
        let sequential = workloads::cpu_tasks_sequential(&interp, 2, 2 * TURNS);
        if let Some(tracer) = interp.tracer() {
            tracer.clear_events();
        }
        let threads = workloads::cpu_tasks_threads(&interp, 2, 2 * TURNS);
        let trace = interp.trace().unwrap_or_default();
        let mut latencies: Vec<Duration> = trace.handoffs().iter().map(|h| h.latency()).collect();
        let mut waits: Vec<Duration> = trace.waits().into_iter().map(|(_, w)| w).collect();
        latencies.sort();
        waits.sort();
        let switches = latencies.len().max(1);
        println!(
            "(b) switch interval {interval:?}: {} forced hand-offs; hand-off latency median {:.1} µs, p99 {:.1} µs, \
             max {:.1} µs; a thread's wait for the GIL median {:.0} µs; threads/sequential {:.3}, \
             {:.1} µs lost per switch",
            latencies.len(),
            us(percentile(&latencies, 50)),
            us(percentile(&latencies, 99)),
            us(latencies.last().copied().unwrap_or_default()),
            us(percentile(&waits, 50)),
            threads.as_secs_f64() / sequential.as_secs_f64(),
            us(threads.saturating_sub(sequential)) / switches as f64,
        );
    }
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) * p) / 100]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
