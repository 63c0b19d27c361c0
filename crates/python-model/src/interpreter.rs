//! An interpreter: its GIL (its own, one shared with another interpreter, or none), its
//! global variables, its check-point rule, its tracer; and how its threads start.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::bytecode::CheckPoints;
use crate::gil::Gil;
use crate::lock::PyLock;
use crate::reference_gil::ReferenceGil;
use crate::thread::{PyJoinHandle, PyThread};
use crate::trace::{InterpreterId, InterpreterInfo, TraceLog, Tracer};
use crate::work::Heap;

static NEXT_INTERPRETER_ID: AtomicU64 = AtomicU64::new(1);

/// How an interpreter's threads are serialised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GilMode {
    /// The interpreter created its own GIL: the only mode before Python 3.12, and since
    /// 3.12 (PEP 684) what each sub-interpreter made with `gil=OWN_GIL` gets, so several
    /// interpreters in one process run in parallel.
    Own,
    /// The interpreter takes another interpreter's GIL (a legacy sub-interpreter,
    /// `gil=SHARED_GIL`): all their threads take turns.
    Shared {
        /// The interpreter that created the GIL.
        with: InterpreterId,
    },
    /// No GIL at all (PEP 703's free-threaded build, `python3.13t`): threads run Python
    /// truly in parallel and no check point ever stops them.
    FreeThreaded,
}

/// One Python interpreter of the model. Cheap to clone: clones are handles to the same
/// interpreter. Dropping the last handle while threads run is fine; they keep it alive.
#[derive(Clone)]
pub struct Interpreter {
    inner: Arc<InterpreterInner>,
}

struct InterpreterInner {
    id: InterpreterId,
    mode: GilMode,
    gil: Option<Arc<dyn Gil>>,
    check_points: CheckPoints,
    globals: Globals,
    locks: Mutex<Vec<(String, Arc<PyLock>)>>,
    tracer: Option<Tracer>,
    /// The object heap its threads' CPU work allocates from (pymalloc's state): one per
    /// interpreter, as since 3.12 (PEP 684), shared with the interpreters sharing its GIL.
    heap: Arc<Heap>,
}

impl std::fmt::Debug for Interpreter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interpreter")
            .field("id", &self.inner.id)
            .field("mode", &self.inner.mode)
            .field("check_points", &self.inner.check_points)
            .finish_non_exhaustive()
    }
}

impl Default for Interpreter {
    fn default() -> Self {
        Self::new()
    }
}

impl Interpreter {
    /// An interpreter with its own reference GIL ([`ReferenceGil`]), the default 5 ms switch
    /// interval, CPython 3.10+ check points and no trace: CPython 3.11 as shipped.
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// Starts configuring an interpreter.
    pub fn builder() -> InterpreterBuilder {
        InterpreterBuilder::default()
    }

    /// This interpreter's id, unique in the process.
    pub fn id(&self) -> InterpreterId {
        self.inner.id
    }

    /// Its GIL mode.
    pub fn mode(&self) -> GilMode {
        self.inner.mode
    }

    /// The GIL its threads take; `None` when free-threaded.
    pub fn gil(&self) -> Option<&Arc<dyn Gil>> {
        self.inner.gil.as_ref()
    }

    /// Where its threads look at the eval breaker.
    pub fn check_points(&self) -> CheckPoints {
        self.inner.check_points
    }

    /// Its global variables, shared by all its threads.
    pub fn globals(&self) -> &Globals {
        &self.inner.globals
    }

    /// The interpreter's lock called `name` (a module-level `threading.Lock()`), created
    /// unlocked the first time it is asked for.
    pub fn lock(&self, name: &str) -> Arc<PyLock> {
        let mut locks = self
            .inner
            .locks
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((_, lock)) = locks.iter().find(|(n, _)| n == name) {
            return Arc::clone(lock);
        }
        let lock = Arc::new(PyLock::new());
        locks.push((name.to_string(), Arc::clone(&lock)));
        lock
    }

    /// `sys.getswitchinterval()`; zero when free-threaded (there is nothing to switch).
    pub fn switch_interval(&self) -> Duration {
        self.gil().map_or(Duration::ZERO, |g| g.switch_interval())
    }

    /// `sys.setswitchinterval()`: changes the interval of this interpreter's GIL (of every
    /// interpreter sharing it); no effect when free-threaded.
    pub fn set_switch_interval(&self, interval: Duration) {
        if let Some(gil) = self.gil() {
            gil.set_switch_interval(interval);
        }
    }

    /// The heap a new thread's CPU work uses: the interpreter's, shared by all its threads,
    /// or one of the thread's own when free-threaded (PEP 703 gives each thread its own
    /// mimalloc heap, and makes the small ints and constants immortal).
    pub(crate) fn heap_for_thread(&self) -> Arc<Heap> {
        match self.inner.mode {
            GilMode::FreeThreaded => Arc::new(Heap::new()),
            GilMode::Own | GilMode::Shared { .. } => Arc::clone(&self.inner.heap),
        }
    }

    /// The tracer its threads record into, if tracing is on.
    pub fn tracer(&self) -> Option<&Tracer> {
        self.inner.tracer.as_ref()
    }

    /// Everything traced so far (see [`Tracer::log`]); `None` when tracing is off.
    pub fn trace(&self) -> Option<TraceLog> {
        self.tracer().map(Tracer::log)
    }

    /// Starts a Python thread (`threading.Thread(target=f).start()`): a new OS thread that
    /// takes the GIL, runs `f`, and releases the GIL when `f` returns or panics.
    ///
    /// # Panics
    /// If the operating system cannot create a thread, as `std::thread::spawn` does.
    pub fn spawn<F, T>(&self, name: &str, f: F) -> PyJoinHandle<T>
    where
        F: FnOnce(&mut PyThread) -> T + Send + 'static,
        T: Send + 'static,
    {
        let interpreter = self.clone();
        let thread_name = name.to_string();
        let inner = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                let mut py = PyThread::start(interpreter, &thread_name);
                let result = f(&mut py);
                py.finish();
                result
            })
            .unwrap_or_else(|e| panic!("could not start Python thread {name:?}: {e}"));
        PyJoinHandle { inner }
    }

    /// Runs `f` as a Python thread on the calling OS thread (the way a program's main
    /// thread runs): takes the GIL first and releases it afterwards.
    ///
    /// # Panics
    /// If the calling OS thread already runs a Python thread under the same GIL (inside
    /// another `run` or `spawn` closure): it would wait for itself forever. Entering an
    /// interpreter with a GIL of its own is fine.
    pub fn run<T>(&self, name: &str, f: impl FnOnce(&mut PyThread) -> T) -> T {
        let mut py = PyThread::start(self.clone(), name);
        let result = f(&mut py);
        py.finish();
        result
    }
}

/// Configures an [`Interpreter`]; every setting has CPython 3.11's default.
#[derive(Default)]
pub struct InterpreterBuilder {
    gil: Option<GilChoice>,
    switch_interval: Option<Duration>,
    check_points: CheckPoints,
    tracer: Option<Tracer>,
}

enum GilChoice {
    Own(Arc<dyn Gil>),
    Shared(Interpreter),
    FreeThreaded,
}

impl InterpreterBuilder {
    /// Use this GIL implementation (for example a learner's) instead of [`ReferenceGil`].
    pub fn gil(mut self, gil: Arc<dyn Gil>) -> Self {
        self.gil = Some(GilChoice::Own(gil));
        self
    }

    /// Share `other`'s GIL (a legacy sub-interpreter). When `other` is free-threaded, so is
    /// this one.
    pub fn share_gil_with(mut self, other: &Interpreter) -> Self {
        self.gil = Some(GilChoice::Shared(other.clone()));
        self
    }

    /// No GIL (PEP 703).
    pub fn free_threaded(mut self) -> Self {
        self.gil = Some(GilChoice::FreeThreaded);
        self
    }

    /// Sets the switch interval of the GIL (`sys.setswitchinterval`) when the interpreter is
    /// built; with a shared GIL this changes it for the other interpreter too.
    pub fn switch_interval(mut self, interval: Duration) -> Self {
        self.switch_interval = Some(interval);
        self
    }

    /// Where threads check the eval breaker (default: CPython 3.10 and later).
    pub fn check_points(mut self, check_points: CheckPoints) -> Self {
        self.check_points = check_points;
        self
    }

    /// Record a trace into a new tracer (read it with [`Interpreter::trace`]).
    pub fn trace(mut self, on: bool) -> Self {
        self.tracer = on.then(Tracer::new);
        self
    }

    /// Record a trace into `tracer`, which other interpreters may share.
    pub fn tracer(mut self, tracer: Tracer) -> Self {
        self.tracer = Some(tracer);
        self
    }

    /// Creates the interpreter.
    pub fn build(self) -> Interpreter {
        let id = InterpreterId(NEXT_INTERPRETER_ID.fetch_add(1, Ordering::Relaxed));
        // A legacy sub-interpreter that shares the main interpreter's GIL shares its
        // allocator too (3.12's `Py_RTFLAGS_USE_MAIN_OBMALLOC`).
        let heap = match &self.gil {
            Some(GilChoice::Shared(other)) => Arc::clone(&other.inner.heap),
            _ => Arc::new(Heap::new()),
        };
        let (mode, gil) = match self.gil {
            None => (
                GilMode::Own,
                Some(Arc::new(ReferenceGil::new()) as Arc<dyn Gil>),
            ),
            Some(GilChoice::Own(gil)) => (GilMode::Own, Some(gil)),
            Some(GilChoice::FreeThreaded) => (GilMode::FreeThreaded, None),
            Some(GilChoice::Shared(other)) => match other.inner.mode {
                GilMode::FreeThreaded => (GilMode::FreeThreaded, None),
                GilMode::Own => (
                    GilMode::Shared { with: other.id() },
                    other.inner.gil.clone(),
                ),
                GilMode::Shared { with } => (GilMode::Shared { with }, other.inner.gil.clone()),
            },
        };
        if let (Some(gil), Some(interval)) = (&gil, self.switch_interval) {
            gil.set_switch_interval(interval);
        }
        if let Some(tracer) = &self.tracer {
            tracer.register_interpreter(InterpreterInfo {
                id,
                gil: match mode {
                    GilMode::Own => Some(id),
                    GilMode::Shared { with } => Some(with),
                    GilMode::FreeThreaded => None,
                },
                switch_interval_ns: gil.as_ref().map_or(0, |g| {
                    u64::try_from(g.switch_interval().as_nanos()).unwrap_or(u64::MAX)
                }),
            });
        }
        Interpreter {
            inner: Arc::new(InterpreterInner {
                id,
                mode,
                gil,
                check_points: self.check_points,
                globals: Globals::default(),
                locks: Mutex::default(),
                tracer: self.tracer,
                heap,
            }),
        }
    }
}

/// An interpreter's global variables (integers, by name), shared by its threads. Reads and
/// writes of one variable are each atomic, but a read followed by a write is not: that gap
/// is where updates get lost.
#[derive(Debug, Default)]
pub struct Globals {
    slots: Mutex<Vec<(String, Arc<AtomicI64>)>>,
}

impl Globals {
    /// The value of `name`, or `None` if it was never set.
    pub fn get(&self, name: &str) -> Option<i64> {
        self.slot(name).map(|s| s.load(Ordering::Relaxed))
    }

    /// Sets `name` to `value`, creating it if needed.
    pub fn set(&self, name: &str, value: i64) {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        match slots.iter().find(|(n, _)| n == name) {
            Some((_, slot)) => slot.store(value, Ordering::Relaxed),
            None => slots.push((name.to_string(), Arc::new(AtomicI64::new(value)))),
        }
    }

    /// The storage cell of `name`, for the evaluator to resolve names once per call.
    pub(crate) fn slot(&self, name: &str) -> Option<Arc<AtomicI64>> {
        let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, slot)| Arc::clone(slot))
    }
}
