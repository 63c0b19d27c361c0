//! PEP 684 (Python 3.12): several interpreters in one process, each with a GIL of its own.

use python_model::{Interpreter, Tracer};

/// `n` interpreters of the model, each with a GIL of its own (PEP 684's
/// `PyInterpreterConfig.gil = PyInterpreterConfig_OWN_GIL`), all recording into `tracer`.
///
/// ```python
/// from concurrent import interpreters  # Python 3.14, PEP 734
/// interps = [interpreters.create() for _ in range(n)]
/// ```
pub fn own_gil_interpreters(n: usize, tracer: &Tracer) -> Vec<Interpreter> {
    // TODO: build `n` interpreters with `Interpreter::builder()`, each with
    // `.tracer(tracer.clone())` so that the checks can read what its threads did, then
    // `.build()`. A builder makes a GIL of its own for each interpreter unless you ask
    // for `.share_gil_with(&other)`: do not, or their threads take turns on one GIL.
    todo!()
}
