//! Interpreter threads: a [`PyThread`] runs "Python" (CPU work, bytecode, blocking calls)
//! under its interpreter's GIL, and checks the eval breaker only at check points.

use std::cell::RefCell;
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::gil::{DropRequest, Gil};
use crate::interpreter::Interpreter;
use crate::trace::{DropReason, EventKind, InterpreterId, Recorder, ThreadId, ThreadInfo};
use crate::work::{self, Heap};

static NEXT_THREAD_ID: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// The GILs (by address) that live Python threads on this OS thread run under, to
    /// refuse a second Python thread on the same GIL, which would wait for itself forever.
    static GILS_ON_THIS_THREAD: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

fn gil_key(gil: &Arc<dyn Gil>) -> usize {
    Arc::as_ptr(gil).cast::<()>() as usize
}

/// A thread as the GIL sees it (CPython's `PyThreadState`): its id, and where its trace
/// events go. A [`Gil`] implementation receives it in every call.
#[derive(Debug)]
pub struct ThreadState {
    id: ThreadId,
    interpreter: InterpreterId,
    recorder: Option<Recorder>,
}

impl ThreadState {
    pub(crate) fn new(interpreter: &Interpreter, name: &str) -> Self {
        let id = ThreadId(NEXT_THREAD_ID.fetch_add(1, Ordering::Relaxed));
        let recorder = interpreter.tracer().map(|tracer| {
            tracer.register_thread(ThreadInfo {
                id,
                name: name.to_string(),
                interpreter: interpreter.id(),
            });
            Recorder::new(tracer.clone(), id, interpreter.id())
        });
        ThreadState {
            id,
            interpreter: interpreter.id(),
            recorder,
        }
    }

    /// This thread's id, unique in the process.
    pub fn id(&self) -> ThreadId {
        self.id
    }

    /// The interpreter this thread belongs to.
    pub fn interpreter(&self) -> InterpreterId {
        self.interpreter
    }

    /// Whether this thread's events are being traced.
    pub fn is_traced(&self) -> bool {
        self.recorder.is_some()
    }

    pub(crate) fn record(&self, kind: EventKind) {
        if let Some(recorder) = &self.recorder {
            recorder.record(kind);
        }
    }
}

/// A running Python thread of the model. Every method runs "with the GIL held" except the
/// closure given to [`PyThread::blocking`], which is the only way to run without it.
///
/// Borrowing rules do the rest: the blocking closure cannot use the `PyThread`, just as C
/// code between `Py_BEGIN_ALLOW_THREADS` and `Py_END_ALLOW_THREADS` must not touch Python
/// objects.
pub struct PyThread {
    tstate: ThreadState,
    interpreter: Interpreter,
    gil: Option<Arc<dyn Gil>>,
    /// The GIL's drop request, kept so that a check point is one relaxed load. Never set
    /// for a free-threaded interpreter.
    pub(crate) breaker: DropRequest,
    holds_gil: bool,
    finished: bool,
    /// The bytecode evaluator's value stack, reused between calls.
    pub(crate) stack: Vec<i64>,
    /// The object heap its CPU work allocates from: the interpreter's, or its own when
    /// free-threaded (see [`Heap`]).
    heap: Arc<Heap>,
}

impl std::fmt::Debug for PyThread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PyThread")
            .field("id", &self.tstate.id)
            .field("interpreter", &self.tstate.interpreter)
            .field("holds_gil", &self.holds_gil)
            .finish_non_exhaustive()
    }
}

impl PyThread {
    /// Starts a Python thread on the calling OS thread: takes the GIL (as a new CPython
    /// thread does before running Python code).
    ///
    /// # Panics
    /// If this OS thread already runs a Python thread under the same GIL: it would wait for
    /// itself forever.
    pub(crate) fn start(interpreter: Interpreter, name: &str) -> Self {
        let gil = interpreter.gil().cloned();
        if let Some(gil) = &gil {
            let key = gil_key(gil);
            GILS_ON_THIS_THREAD.with_borrow_mut(|held| {
                assert!(
                    !held.contains(&key),
                    "Python thread {name:?} would wait forever for the GIL its own OS thread already \
                     holds: start it with Interpreter::spawn instead of Interpreter::run inside a Python thread"
                );
                held.push(key);
            });
        }
        let tstate = ThreadState::new(&interpreter, name);
        let heap = interpreter.heap_for_thread();
        let breaker = gil.as_ref().map(|g| g.drop_request()).unwrap_or_default();
        let mut thread = PyThread {
            tstate,
            interpreter,
            gil,
            breaker,
            holds_gil: false,
            finished: false,
            stack: Vec::with_capacity(64),
            heap,
        };
        thread.tstate.record(EventKind::ThreadStart);
        thread.acquire_gil();
        thread
    }

    /// This thread's id.
    pub fn id(&self) -> ThreadId {
        self.tstate.id
    }

    /// The interpreter this thread runs in.
    pub fn interpreter(&self) -> &Interpreter {
        &self.interpreter
    }

    /// Whether this thread holds its interpreter's GIL now (always false when free-threaded).
    pub fn holds_gil(&self) -> bool {
        self.holds_gil
    }

    /// A check point: if another thread asked for the GIL, drop it, let that thread run,
    /// and take it back. Costs one relaxed atomic load when nobody asked.
    #[inline(always)]
    pub fn check(&mut self) {
        if self.breaker.is_set() {
            self.handle_eval_breaker();
        }
    }

    /// Runs `iterations` turns of a CPU-bound Python loop (about one turn of
    /// `x = (x * 31 + i) % 1000003` each, see [`work::step`]), with a check point at every
    /// back-edge as CPython's `JUMP_BACKWARD` has. Each turn also allocates and frees its
    /// int objects and touches shared constants on the interpreter's heap, as CPython's
    /// turn does. Returns the loop's result.
    pub fn cpu_work(&mut self, iterations: u64) -> u64 {
        // Handles of our own, so the loop reaches them without going through `self`.
        let breaker = self.breaker.clone();
        let heap = Arc::clone(&self.heap);
        let mut frame = heap.enter(work::SEED);
        let mut x = work::SEED;
        for i in 0..iterations {
            x = work::step(x, i);
            heap.turn(&mut frame, x, i);
            // JUMP_BACKWARD: the back-edge of the loop is a check point.
            if breaker.is_set() {
                self.handle_eval_breaker();
            }
        }
        heap.leave(frame);
        black_box(x)
    }

    /// Runs `f` without the GIL, as C code does between `Py_BEGIN_ALLOW_THREADS` and
    /// `Py_END_ALLOW_THREADS` (PyO3's `detach`/`allow_threads`): releases the GIL, runs
    /// `f`, then takes the GIL back through an ordinary, possibly contended `take_gil`.
    ///
    /// The release is CPython's `PyEval_SaveThread`, which gives `drop_gil` the thread
    /// state: when another thread's drop request is pending, it waits until that thread
    /// has taken the GIL before `f` starts (3.11 to 3.14). With no request pending it
    /// waits for nobody.
    pub fn blocking<R>(&mut self, f: impl FnOnce() -> R) -> R {
        self.release_gil(DropReason::Blocking);
        self.tstate.record(EventKind::BlockingStart);
        let result = f();
        self.tstate.record(EventKind::BlockingEnd);
        self.acquire_gil();
        result
    }

    /// `time.sleep(duration)`: a blocking call, so the GIL is released while sleeping.
    pub fn sleep(&mut self, duration: Duration) {
        self.blocking(|| std::thread::sleep(duration));
    }

    /// `Thread.join()` from a Python thread: waits for `handle` without the GIL (a thread
    /// that joined while holding it would deadlock with a thread that needs it).
    pub fn join<T>(&mut self, handle: PyJoinHandle<T>) -> std::thread::Result<T> {
        self.blocking(|| handle.join())
    }

    /// CPython 3.11's `eval_frame_handle_pending` (`_Py_HandlePending` from 3.12) for the
    /// drop request: drop the GIL (which, with the request set, waits until another thread
    /// took it), then queue for it again.
    #[cold]
    #[inline(never)]
    pub(crate) fn handle_eval_breaker(&mut self) {
        if self.holds_gil && self.breaker.is_set() {
            self.release_gil(DropReason::Requested);
            self.acquire_gil();
        }
    }

    fn acquire_gil(&mut self) {
        if let Some(gil) = &self.gil {
            self.tstate.record(EventKind::WaitStart);
            gil.take_gil(&self.tstate);
            self.tstate.record(EventKind::Take);
            self.holds_gil = true;
        }
    }

    fn release_gil(&mut self, reason: DropReason) {
        if let Some(gil) = &self.gil {
            // Recorded before the release, so no other thread's Take can precede it.
            self.tstate.record(EventKind::Drop { reason });
            self.holds_gil = false;
            match reason {
                // The thread's last release (CPython 3.12+'s `final_release`).
                DropReason::ThreadExit => gil.drop_gil_final(&self.tstate),
                DropReason::Requested | DropReason::Blocking => gil.drop_gil(&self.tstate),
            }
            self.tstate.record(EventKind::DropEnd);
        }
    }

    /// Ends the thread: its last release of the GIL, which waits for nobody (3.12+).
    pub(crate) fn finish(mut self) {
        self.exit();
    }

    fn exit(&mut self) {
        if self.finished {
            return;
        }
        self.finished = true;
        if self.holds_gil {
            self.release_gil(DropReason::ThreadExit);
        }
        if let Some(recorder) = &self.tstate.recorder {
            recorder.record(EventKind::ThreadEnd);
            recorder.flush();
        }
        if let Some(gil) = &self.gil {
            let key = gil_key(gil);
            GILS_ON_THIS_THREAD.with_borrow_mut(|held| {
                if let Some(i) = held.iter().position(|&k| k == key) {
                    held.swap_remove(i);
                }
            });
        }
    }
}

impl Drop for PyThread {
    fn drop(&mut self) {
        // A thread unwinding from a panic still lets go of the GIL, so others carry on.
        self.exit();
    }
}

/// Owns a spawned Python thread; [`PyJoinHandle::join`] waits for it.
#[derive(Debug)]
pub struct PyJoinHandle<T> {
    pub(crate) inner: std::thread::JoinHandle<T>,
}

impl<T> PyJoinHandle<T> {
    /// Waits for the thread to finish; `Err` carries its panic. Call it from outside any
    /// Python thread, or through [`PyThread::join`] from inside one.
    pub fn join(self) -> std::thread::Result<T> {
        self.inner.join()
    }

    /// Whether the thread has finished.
    pub fn is_finished(&self) -> bool {
        self.inner.is_finished()
    }
}
