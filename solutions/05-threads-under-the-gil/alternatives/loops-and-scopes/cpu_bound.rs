//! Another correct shape: a loop that fills a vector of handles, then a second loop.

use python_model::Interpreter;

/// `work` turns split over `threads` threads, all started before any is joined.
pub fn run_cpu_bound(interp: &Interpreter, threads: usize, work: u64) -> Vec<u64> {
    let mut handles = Vec::with_capacity(threads);
    for i in 0..threads {
        let turns = work / threads as u64;
        handles.push(interp.spawn(&format!("cpu {i}"), move |py| py.cpu_work(turns)));
    }
    let mut results = Vec::with_capacity(threads);
    for handle in handles {
        match handle.join() {
            Ok(result) => results.push(result),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
    results
}
