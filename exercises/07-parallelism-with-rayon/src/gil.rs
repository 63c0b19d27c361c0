//! The same work on Python threads, written for you: threads of the course's Python
//! runtime model, which take turns holding one GIL as CPython's threads do.

use std::hint::black_box;
use std::time::{Duration, Instant};

use python_model::Interpreter;

use crate::work::Work;

/// Runs of each side when calibrating; each side's fastest run counts.
const CALIBRATION_RUNS: usize = 7;

/// Items hashed in one calibration run.
const CALIBRATION_ITEMS: u64 = 64;

// ANCHOR: gil_threads
/// `hash_all` as a Python program with threads would run it:
///
/// ```python
/// with ThreadPoolExecutor(max_workers=threads) as pool:
///     hashes = list(pool.map(hash_item, items))  # one GIL: one thread at a time
/// ```
///
/// Each item is a CPU-bound Python loop (`py.cpu_work`) as long as one `work.hash`.
pub struct GilThreads {
    interpreter: Interpreter,
    turns_per_item: u64,
}

impl GilThreads {
    /// Measures how many turns of the model's Python loop take as long as one
    /// `work.hash` here, so the Python threads do as much work as your version.
    pub fn calibrated(work: &Work) -> GilThreads {
        let interpreter = Interpreter::new();
        let turns = work.turns_per_item() * CALIBRATION_ITEMS;
        let (mut rust, mut python) = (Duration::MAX, Duration::MAX);
        for _ in 0..CALIBRATION_RUNS {
            rust = rust.min(timed(|| {
                for item in 0..CALIBRATION_ITEMS {
                    black_box(work.hash(item));
                }
            }));
            python = python.min(timed(|| {
                interpreter.run("calibration", |py| black_box(py.cpu_work(turns)));
            }));
        }
        let per_turn = python.as_secs_f64() / turns as f64;
        let per_item = rust.as_secs_f64() / CALIBRATION_ITEMS as f64;
        GilThreads {
            interpreter,
            turns_per_item: ((per_item / per_turn).round() as u64).max(1),
        }
    }

    /// Turns of the Python loop that one item costs.
    pub fn turns_per_item(&self) -> u64 {
        self.turns_per_item
    }

    /// Starts `threads` Python threads (at least 1), gives thread `t` the items
    /// `t`, `t + threads`, `t + 2 * threads`, … of `items`, and waits for them all.
    pub fn run(&self, items: usize, threads: usize) {
        let threads = threads.max(1);
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let mine = (t..items).step_by(threads).count() as u64;
                let turns = self.turns_per_item;
                self.interpreter.spawn(&format!("worker-{t}"), move |py| {
                    for _ in 0..mine {
                        black_box(py.cpu_work(turns));
                    }
                })
            })
            .collect();
        for handle in workers {
            handle
                .join()
                .expect("a CPU-bound Python thread cannot panic");
        }
    }
}
// ANCHOR_END: gil_threads

fn timed(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}
