//! The thing to beat: the same jobs on threads of ONE interpreter, so under one GIL.
//!
//! This file is the same in the exercise and the solution.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use python_model::Interpreter;

use crate::job::Job;

// ANCHOR: gil_threads
/// Runs the CPU jobs on `threads` Python threads of one new interpreter and returns
/// their values in job order: `multiprocessing.pool.ThreadPool(threads).map(...)`.
/// With `threads == 1` that is plain sequential work on one Python thread.
///
/// # Panics
/// If a job is not `Job::Cpu`: a crash job on a thread would end the whole process,
/// this one included (which is the point of worker processes).
pub fn gil_threads_map(jobs: &[Job], threads: usize) -> Vec<u64> {
    if let Some(job) = jobs.iter().find(|job| job.crashes()) {
        panic!(
            "gil_threads_map runs CPU jobs only, got {job:?}: on a thread it would crash this process"
        );
    }
    let interpreter = Interpreter::new();
    let jobs: std::sync::Arc<[Job]> = jobs.into();
    let next = std::sync::Arc::new(AtomicUsize::new(0));
    let values = std::sync::Arc::new(Mutex::new(vec![0; jobs.len()]));
    let handles: Vec<_> = (0..threads.max(1))
        .map(|t| {
            let (jobs, next, values) = (jobs.clone(), next.clone(), values.clone());
            interpreter.spawn(&format!("Thread-{}", t + 1), move |py| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let value = job.run(py);
                    values.lock().expect("no thread panics holding it")[i] = value;
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("a CPU job cannot panic");
    }
    let values = values.lock().expect("no thread panics holding it");
    values.clone()
}
// ANCHOR_END: gil_threads
