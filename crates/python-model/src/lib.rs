//! A small model of CPython's execution, following `Python/ceval_gil.c` and
//! `Include/internal/pycore_gil.h` (CPython 3.11 to 3.14): interpreter threads that run
//! CPU work and bytecode and look at the eval breaker only at check points; the GIL with
//! its switch interval and forced switching; a release around blocking calls; one GIL per
//! interpreter (PEP 684) or none (PEP 703); and a trace of it all.
//!
//! # A tour
//!
//! An [`Interpreter`] owns a GIL (by default a [`ReferenceGil`] with CPython's 5 ms switch
//! interval), integer globals and named locks. [`Interpreter::spawn`] starts a Python
//! thread (a real OS thread); the closure receives a [`PyThread`], and everything it does
//! through it runs under the GIL:
//!
//! - [`PyThread::cpu_work`]: a CPU-bound Python loop, one check point per back-edge;
//! - [`PyThread::blocking`]: a call made without the GIL (`Py_BEGIN_ALLOW_THREADS`), such
//!   as I/O; [`PyThread::sleep`] is `time.sleep`;
//! - [`PyThread::call`]: runs a function of a bytecode [`Program`], such as
//!   [`Program::add_in_place`] (`counter += 1`) or [`Program::add_with_call`]
//!   (`counter = counter + one()`), whose check points decide whether updates get lost;
//! - [`PyThread::acquire`]: takes a [`PyLock`] (`threading.Lock`).
//!
//! ```
//! use python_model::{Interpreter, Program};
//! use std::time::Duration;
//!
//! let interp = Interpreter::builder().trace(true).build();
//! let cpu = interp.spawn("cpu", |py| py.cpu_work(100_000));
//! let io = interp.spawn("io", |py| py.sleep(Duration::from_millis(1)));
//! cpu.join().expect("cpu thread");
//! io.join().expect("io thread");
//! let trace = interp.trace().expect("tracing is on");
//! assert_eq!(trace.max_simultaneous_holders(), 1);
//!
//! // Two threads, `counter = counter + one()` a million times each.
//! let race = python_model::workloads::lost_updates(
//!     &interp, &Program::add_with_call(), "add_with_call", 2, 1_000_000,
//! ).expect("the program runs");
//! println!("{:.0}% of the updates were lost", race.lost_fraction() * 100.0);
//! ```
//!
//! # Plugging in another GIL
//!
//! The interpreter runs against the [`Gil`] trait (take, drop, the drop request, the switch
//! interval), so chapter 04's learner GIL drops in with
//! `Interpreter::builder().gil(Arc::new(MyGil::new()))`. [`AuditedGil`] wraps any GIL and
//! counts simultaneous holders and regrabs after a forced drop.
//!
//! # Reading the trace
//!
//! With tracing on, every thread records [`Event`]s (take, drop and why, drop request, wait
//! start, blocking call start and end) with monotonic nanosecond timestamps into a
//! [`Tracer`]; [`Interpreter::trace`] returns a [`TraceLog`], plain serde data, and its
//! helpers [`TraceLog::holds`], [`TraceLog::handoffs`], [`TraceLog::waits`] turn events into
//! intervals. A thread's events arrive when it ends.
//!
//! # Releasing the GIL
//!
//! A thread lets go of the GIL in three places, each a call of CPython's `drop_gil`
//! (`Python/ceval_gil.h` in 3.11, `Python/ceval_gil.c` from 3.12):
//!
//! - at a check point that finds the drop request set (3.11's `eval_frame_handle_pending`,
//!   `_Py_HandlePending` from 3.12): a forced switch;
//! - around a blocking call ([`PyThread::blocking`], CPython's `Py_BEGIN_ALLOW_THREADS`,
//!   that is `PyEval_SaveThread`);
//! - when the thread ends.
//!
//! In the first two, `drop_gil` is given the thread state, so with a drop request pending
//! it waits on `switch_cond` until another thread has taken the GIL (`FORCE_SWITCHING`):
//! a thread that starts a blocking call just after a waiter asked for the GIL does not
//! start its call until the waiter holds it. Only the last release of an ending thread
//! skips that wait, from CPython 3.12 on (3.12 passes no thread state, 3.13 and 3.14 pass
//! `final_release`); 3.11 waits there too. The model follows 3.12+ at exit
//! ([`Gil::drop_gil_final`]). Taking the GIL back after a blocking call is an ordinary,
//! possibly contended `take_gil`: the root of the convoy effect.
//!
//! # Where the model simplifies
//!
//! - The reference GIL guards everything with one mutex where CPython has two, reads the
//!   drop request in `drop_gil` before unlocking instead of after, and waits for the
//!   switch in a loop where CPython waits once (see [`ReferenceGil`]). None of these
//!   changes what a thread may observe: a release with a request pending returns only
//!   once another thread holds the GIL.
//! - Values are 64-bit integers; `range`, `with lock:` and calls are single instructions.
//! - CPython 3.9's check points are modelled as "before every instruction" (3.9 skipped
//!   the check after a few instructions such as `LOAD_FAST`).
//! - The reference GIL hands over the way CPython's does because it sleeps and wakes on the
//!   same primitives: a pthread mutex that never spins (`pthread_mutex_init(mut, NULL)`,
//!   CPython's `PyMUTEX_INIT`) and pthread condition variables on the monotonic clock. A
//!   GIL built on `std::sync` (chapter 04's) runs the same algorithm but hands over faster:
//!   `std::sync::Mutex` spins before it sleeps, so the waiter is often still awake when the
//!   holder signals it. At a 0.1 ms interval on the course's machine, a forced hand-off on
//!   std's primitives takes a median of about 2 µs; on pthread's, in the reference GIL as in
//!   CPython 3.11, 15 to 30 µs.
//! - Whether a hand-off costs nothing, one wake-up or two is a race of a fraction of a
//!   microsecond: has the waiter that set the drop request gone back to sleep by the time
//!   the holder signals it? CPython's holder does more on its way from the check point to
//!   the GIL's mutex (3.11's `eval_frame_handle_pending`, `_PyThreadState_Swap`, the checks at the
//!   top of `drop_gil`, with cache misses on interpreter-wide state), so it loses that race
//!   more often. The model does not imitate that path, and no delay stands in for it. At a
//!   0.1 ms switch interval on the course's 2-core machine a switch therefore costs the
//!   model about 15 to 25 µs where it costs CPython 3.11 about 30 µs: two CPU-bound threads
//!   take about 1.09 to 1.11 times as long as one thread doing both tasks, against 1.10 to
//!   1.18 in CPython there (`compare-python --rows switch-interval`). Tracing lengthens
//!   the holder's path a little, so a traced run pays more per switch (about 25 µs).
//! - A turn of CPU work does its arithmetic in registers, and on the interpreter's heap
//!   only what CPython 3.11's turn of `x = (x * 31 + i) % 1000003` writes there: four int
//!   objects allocated and freed in one shared pymalloc pool, the reference counts of two
//!   shared constants, an inline-cache counter in the shared code object (see `work.rs`).
//!   A thread that takes the GIL over refills those few cache lines from the other core
//!   (about 0.1 µs here; CPython measured under 1 µs). The interpreter's own code and the
//!   rest of its state are not modelled.

#![warn(missing_docs)]

pub mod audit;
pub mod bytecode;
mod condvar;
mod eval;
pub mod gil;
pub mod interpreter;
pub mod lock;
pub mod reference_gil;
pub mod thread;
pub mod trace;
pub mod work;
pub mod workloads;

pub use audit::{AuditReport, AuditedGil};
pub use bytecode::{CheckPoints, Function, Instr, Program, ProgramError};
pub use eval::EvalError;
pub use gil::{DEFAULT_SWITCH_INTERVAL, DropRequest, Gil};
pub use interpreter::{GilMode, Globals, Interpreter, InterpreterBuilder};
pub use lock::{PyLock, ReleaseUnlocked};
pub use reference_gil::ReferenceGil;
pub use thread::{PyJoinHandle, PyThread, ThreadState};
pub use trace::{
    BlockingCall, DropReason, Event, EventKind, Handoff, Hold, InterpreterId, InterpreterInfo,
    ThreadId, ThreadInfo, TraceLog, Tracer,
};
