//! Step 2 of 5: the worker's side, the loop a worker process runs with an interpreter
//! of its own. Read: chapter 06, "One interpreter, one GIL, per process" (its opening
//! page) and "Jobs over pipes" ("Talking to a worker").

use std::io::{self, BufRead, Write};

use python_model::Interpreter;
use timing::Interval;

use crate::frame;
use crate::job::{Job, Reply};

/// A worker's whole life: this process's one interpreter (its own GIL), created once,
/// and in it a loop that answers each job read from `input` with one reply on
/// `output`, before it reads the next job.
///
/// Guarantees:
/// - one `Reply` per job, in the order the jobs came: the job's value, this process's
///   id, the id of the interpreter that ran it, and the job's `Interval` (measured
///   around the job where it runs, in its text form);
/// - every job of the worker's life runs in the same interpreter;
/// - `Ok(())` once `input` ends (the pool closed the worker's stdin: no more jobs);
/// - a line that is no job ends the loop with the error `frame::receive` gives;
/// - nothing else is written on `output`: the pool reads every line there as a reply.
///
/// Python's pool worker (`worker()` in `Lib/multiprocessing/pool.py`) is, simplified:
///
/// ```python
/// def worker(inqueue, outqueue):
///     while True:
///         task = inqueue.get()
///         if task is None:        # the pool is closing
///             return
///         outqueue.put(run(task))
/// ```
///
/// APIs: `Interpreter::new`; `interpreter.run(name, |py| ...)` runs the closure as the
/// Python thread `name` and returns what it returns; `Job::run`;
/// `Interval::measure(|| ...)` returns the closure's result with the `Interval` it took,
/// as a pair `(result, interval)`; `process::id`; the `id()` of `interpreter()` on `py`; `py.blocking` releases the GIL around a blocking read,
/// as CPython does around I/O (optional here: a worker has one Python thread).
pub fn serve(mut input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    // TODO: the interpreter outlives the loop, and the loop answers one job at a
    // time: read, run, reply, and only then read again.
    todo!()
}
