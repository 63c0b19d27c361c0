//! The mistake: each thread is joined right after it is started, in one loop.

use std::time::Duration;

use python_model::Interpreter;

/// The waits on `threads` threads, each joined before the next starts.
pub fn run_io_bound(interp: &Interpreter, threads: usize, waits: &[Duration], release_gil: bool) {
    for i in 0..threads {
        let mine: Vec<Duration> = waits.iter().skip(i).step_by(threads).copied().collect();
        let handle = interp.spawn(&format!("waiter-{i}"), move |py| {
            for wait in mine {
                if release_gil {
                    py.sleep(wait);
                } else {
                    std::thread::sleep(wait);
                }
            }
        });
        if let Err(panic) = handle.join() {
            std::panic::resume_unwind(panic);
        }
    }
}
