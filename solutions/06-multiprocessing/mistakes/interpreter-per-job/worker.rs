//! Mistake: the interpreter is created inside the loop, once per job.

use std::io::{self, BufRead, Write};

use python_model::Interpreter;
use timing::Interval;

use crate::frame;
use crate::job::{Job, Reply};

/// Answers each job in an interpreter made for it.
pub fn serve(mut input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    while let Some(job) = frame::receive::<Job>(&mut input)? {
        let interpreter = Interpreter::new();
        let reply = interpreter.run("MainThread", |py| {
            let (value, interval) = Interval::measure(|| job.run(py));
            Reply {
                value,
                pid: std::process::id(),
                interpreter: py.interpreter().id(),
                interval: interval.to_string(),
            }
        });
        frame::send(&mut output, &reply)?;
    }
    Ok(())
}
