//! PEP 703 (Python 3.13t, 3.14t): the free-threaded build, with no GIL at all.

use python_model::{Interpreter, Tracer};

/// An interpreter of the free-threaded build: its threads run Python at the same time,
/// with no GIL to take turns on. It records into `tracer`.
///
/// ```text
/// $ python3.13t -c "import sys; print(sys._is_gil_enabled())"
/// False
/// ```
///
/// Read: *Interpreters on the model* (the builder's GIL choices).
pub fn free_threaded_interpreter(tracer: &Tracer) -> Interpreter {
    // TODO: the builder's third GIL choice, recording into `tracer`.
    todo!()
}
