//! I/O-bound work on 1 and N threads: waits that release the GIL, and waits that do not.

use std::time::Duration;

use python_model::Interpreter;

/// Runs the `waits` on `threads` Python threads of `interp`, all started before any is
/// joined: thread `i` does `waits[i]`, `waits[i + threads]`, … one after another. With
/// `release_gil`, each wait is `time.sleep` (`py.sleep`), which releases the GIL; without
/// it, the thread keeps the GIL while it waits.
pub fn run_io_bound(interp: &Interpreter, threads: usize, waits: &[Duration], release_gil: bool) {
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let mine: Vec<Duration> = waits.iter().skip(i).step_by(threads).copied().collect();
            interp.spawn(&format!("waiter-{i}"), move |py| {
                for wait in mine {
                    if release_gil {
                        py.sleep(wait); // time.sleep releases the GIL around the wait
                    } else {
                        std::thread::sleep(wait); // blocks with the GIL held
                    }
                }
            })
        })
        .collect();
    for h in handles {
        if let Err(panic) = h.join() {
            std::panic::resume_unwind(panic);
        }
    }
}
