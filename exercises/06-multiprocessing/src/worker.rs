//! The worker's side: the loop a worker process runs, with an interpreter of its own.

use std::io::{self, BufRead, Write};

use python_model::Interpreter;
use timing::Interval;

use crate::frame;
use crate::job::{Job, Reply};

/// A worker's whole life: creates this process's interpreter (its own GIL), then
/// answers each job read from `input` with one reply on `output`, until `input` ends.
///
/// Python's pool worker (`worker()` in `Lib/multiprocessing/pool.py`) is, simplified,
/// the same loop:
///
/// ```python
/// def worker(inqueue, outqueue):
///     while True:
///         task = inqueue.get()
///         if task is None:        # the pool is closing
///             return
///         outqueue.put(run(task))
/// ```
pub fn serve(mut input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    // TODO: create the worker's interpreter ONCE, `let interpreter = Interpreter::new();`,
    // and run the whole loop as its main Python thread:
    // `interpreter.run("MainThread", |py| loop { ... })`. In the loop:
    // - read the next job with `frame::receive::<Job>(&mut input)?`; `None` means the
    //   pool closed your stdin: return Ok(()). (Waiting on a pipe is blocking I/O, so
    //   CPython releases the GIL around it: `py.blocking(|| frame::receive(...))`. Only
    //   one thread runs in a worker, so it works either way.)
    // - run it, timing it where it runs: `Interval::measure(|| job.run(py))` gives the
    //   value and the interval (start, end, CPUs, CPU time).
    // - send a `Reply` with `frame::send`: the value, `std::process::id()`,
    //   `py.interpreter().id()`, and `interval.to_string()`.
    // Write nothing else on `output`: the pool reads every line of it as a reply.
    todo!()
}
