//! The worker's side: the loop a worker process runs, with an interpreter of its own.

use std::io::{self, BufRead, Write};

use python_model::Interpreter;
use timing::Interval;

use crate::frame;
use crate::job::{Job, Reply};

/// A worker's whole life: creates this process's interpreter (its own GIL), then
/// answers each job read from `input` with one reply on `output`, until `input` ends.
pub fn serve(mut input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    let interpreter = Interpreter::new();
    // The worker's main thread is a Python thread for the worker's whole life.
    interpreter.run("MainThread", |py| {
        loop {
            // Waiting on a pipe is blocking I/O: CPython releases the GIL around it.
            let Some(job) = py.blocking(|| frame::receive::<Job>(&mut input))? else {
                return Ok(()); // the pool closed our stdin: no more work
            };
            let (value, interval) = Interval::measure(|| job.run(py));
            let reply = Reply {
                value,
                pid: std::process::id(),
                interpreter: py.interpreter().id(),
                interval: interval.to_string(),
            };
            py.blocking(|| frame::send(&mut output, &reply))?;
        }
    })
}
