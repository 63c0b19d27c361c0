//! Another correct shape: each thread's waits picked by index arithmetic, and the
//! released wait written as a blocking call around a plain sleep.

use std::time::Duration;

use python_model::Interpreter;

/// The waits on `threads` threads, all started before any is joined.
pub fn run_io_bound(interp: &Interpreter, threads: usize, waits: &[Duration], release_gil: bool) {
    let mut handles = Vec::new();
    for i in 0..threads {
        let mine: Vec<Duration> = (i..waits.len()).step_by(threads).map(|k| waits[k]).collect();
        handles.push(interp.spawn(&format!("io {i}"), move |py| {
            for wait in &mine {
                let wait = *wait;
                match release_gil {
                    true => py.blocking(move || std::thread::sleep(wait)),
                    false => std::thread::sleep(wait),
                }
            }
        }));
    }
    handles.into_iter().for_each(|h| {
        h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    });
}
