//! What a pool is asked to do and what it gives back: jobs, the worker's reply, the
//! output the pool hands out, and the errors that stand in for a lost job.
//!
//! This file is the same in the exercise and the solution.

use std::fmt;
use std::process::ExitStatus;

use python_model::{InterpreterId, PyThread};
use serde::{Deserialize, Serialize};
use timing::Interval;

// ANCHOR: job
/// One job for a worker. On the pipe it is one JSON line:
/// `{"kind":"cpu","iterations":200000}`, `{"kind":"panic"}`, `{"kind":"abort"}`,
/// `{"kind":"exit","code":3}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// CPU-bound Python: `iterations` turns of a loop (`py.cpu_work(iterations)`),
    /// whose result is the job's value.
    Cpu {
        /// Turns of the loop.
        iterations: u64,
    },
    /// The worker panics while it holds the job, and nothing catches the panic: the
    /// worker process exits with code 101, as a Rust program does after a panic.
    Panic,
    /// The worker aborts (`std::process::abort`, like a segfault in a C extension):
    /// the operating system kills it with SIGABRT.
    Abort,
    /// The worker calls `std::process::exit(code)` (Python's `os._exit(code)`).
    Exit {
        /// The exit code.
        code: i32,
    },
}
// ANCHOR_END: job

impl Job {
    /// Runs the job on the Python thread `py` and returns its value. The crash kinds
    /// never return: they end the process they run in, whichever it is.
    pub fn run(&self, py: &mut PyThread) -> u64 {
        match *self {
            Job::Cpu { iterations } => py.cpu_work(iterations),
            Job::Panic => panic!("Job::Panic: this job makes its worker panic, on purpose"),
            Job::Abort => {
                no_core_dump();
                std::process::abort()
            }
            Job::Exit { code } => std::process::exit(code),
        }
    }

    /// True for the jobs that end the process that runs them.
    pub fn crashes(&self) -> bool {
        !matches!(self, Job::Cpu { .. })
    }
}

/// An abort would write a core file where the system is set up to keep them; a crash
/// on purpose should not leave one behind.
fn no_core_dump() {
    let none = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: setrlimit reads the struct we pass and changes only this process's limit.
    unsafe { libc::setrlimit(libc::RLIMIT_CORE, &none) };
}

// ANCHOR: reply
/// What a worker sends back for each job, as one JSON line:
/// `{"value":1234,"pid":4242,"interpreter":1,"interval":"interval 51 92 0 1 40"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// The job's value.
    pub value: u64,
    /// The worker's process id (`process::id()`).
    pub pid: u32,
    /// The id of the worker's interpreter (`id()` of the `Interpreter` that ran the job).
    pub interpreter: InterpreterId,
    /// When and where the job ran, in `timing::Interval`'s text form
    /// (its `to_string()`), measured in the worker around the job with `measure`.
    pub interval: String,
}
// ANCHOR_END: reply

/// A job's result, as the pool hands it out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// The job's value.
    pub value: u64,
    /// The process that ran the job.
    pub pid: u32,
    /// The interpreter that ran it, inside that process.
    pub interpreter: InterpreterId,
    /// When and where it ran (the worker's clock is the parent's: `CLOCK_MONOTONIC`).
    pub interval: Interval,
}

impl TryFrom<Reply> for Output {
    type Error = String;

    /// Reads the reply's interval back from its text form.
    fn try_from(reply: Reply) -> Result<Output, String> {
        let interval = reply
            .interval
            .parse::<Interval>()
            .map_err(|e| e.to_string())?;
        Ok(Output {
            value: reply.value,
            pid: reply.pid,
            interpreter: reply.interpreter,
            interval,
        })
    }
}

/// Why a job has no output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobError {
    /// The worker process ended while it held job number `job` (its index in the
    /// jobs given to `map`); the pool replaced it.
    WorkerCrashed {
        /// The job's index.
        job: usize,
        /// The process id of the worker that crashed.
        pid: u32,
        /// How it ended.
        how: Ending,
    },
    /// The worker answered job number `job` with something that is not a reply; the
    /// pool killed it and replaced it.
    BadReply {
        /// The job's index.
        job: usize,
        /// The process id of the worker.
        pid: u32,
        /// What was wrong with the answer.
        why: String,
    },
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobError::WorkerCrashed { job, pid, how } => {
                write!(f, "job {job}: its worker (pid {pid}) {how}")
            }
            JobError::BadReply { job, pid, why } => {
                write!(
                    f,
                    "job {job}: its worker (pid {pid}) sent a bad reply: {why}"
                )
            }
        }
    }
}

impl std::error::Error for JobError {}

/// How a process ended, from its exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// It called `exit` with this code (101 after a Rust panic).
    Exited(i32),
    /// A signal killed it (6 is SIGABRT, 9 SIGKILL, 11 SIGSEGV).
    Killed(i32),
}

impl Ending {
    /// How the process whose status this is ended.
    pub fn of(status: ExitStatus) -> Ending {
        use std::os::unix::process::ExitStatusExt;
        match (status.code(), status.signal()) {
            (Some(code), _) => Ending::Exited(code),
            (None, Some(signal)) => Ending::Killed(signal),
            // `wait` only returns for a process that ended, so one of the two is set.
            (None, None) => Ending::Exited(-1),
        }
    }
}

impl fmt::Display for Ending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Ending::Exited(101) => write!(f, "exited with code 101 (a Rust panic)"),
            Ending::Exited(code) => write!(f, "exited with code {code}"),
            Ending::Killed(signal) => {
                let name = match signal {
                    libc::SIGABRT => " (SIGABRT: it aborted)",
                    libc::SIGKILL => " (SIGKILL)",
                    libc::SIGSEGV => " (SIGSEGV: a bad memory access)",
                    libc::SIGTERM => " (SIGTERM)",
                    _ => "",
                };
                write!(f, "was killed by signal {signal}{name}")
            }
        }
    }
}
