//! Written for you: Python's `print` and `Thread.start()` on the model. The reference
//! solution compiles this very file.

use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use python_model::{PyJoinHandle, PyThread};

/// Python's standard output for the model: every line printed by any thread lands in
/// one list, in the order the lines were printed.
#[derive(Clone, Debug, Default)]
pub struct Stdout {
    lines: Arc<Mutex<Vec<String>>>,
}

impl Stdout {
    /// An empty output.
    pub fn new() -> Stdout {
        Stdout::default()
    }

    /// `print(line)`. It takes the thread's `py` because `print` is Python code: it runs
    /// with the GIL held (and so cannot be called inside `py.blocking(..)`).
    pub fn print(&self, py: &PyThread, line: impl Into<String>) {
        let _ = py;
        self.lines
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(line.into());
    }

    /// Every line printed so far, in order.
    pub fn lines(&self) -> Vec<String> {
        self.lines
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// How long [`start_thread`] waits for a new thread to start running.
const START_LIMIT: Duration = Duration::from_secs(10);

// ANCHOR: start_thread
/// `threading.Thread(target=f, name=name).start()` called from the Python thread `py`:
/// starts a Python thread running `f` and, like CPython's `Thread.start()` (which waits
/// on the thread's `_started` event), returns only once that thread is running. It waits
/// without the GIL, so the new thread can take it.
///
/// Because the new thread signals "started" while it holds the GIL, it keeps running
/// until it releases the GIL (a `py.sleep`, say) or a check point gives it up; the caller
/// cannot run Python before that.
pub fn start_thread<T, F>(py: &mut PyThread, name: &str, f: F) -> PyJoinHandle<T>
where
    F: FnOnce(&mut PyThread) -> T + Send + 'static,
    T: Send + 'static,
{
    let (started, running) = mpsc::channel();
    let handle = py.interpreter().spawn(name, move |py| {
        // `self._started.set()` in CPython's `Thread._bootstrap_inner`, with the GIL held.
        let _ = started.send(());
        f(py)
    });
    // `self._started.wait()`, without the GIL. A thread that dies before it runs drops
    // `started`, which ends the wait too.
    let _ = py.blocking(|| running.recv_timeout(START_LIMIT));
    handle
}
// ANCHOR_END: start_thread
