//! PEP 684 (Python 3.12): several interpreters in one process, each with a GIL of its own.

use python_model::{Interpreter, Tracer};

/// `n` interpreters of the model, each with a GIL of its own (PEP 684's
/// `PyInterpreterConfig.gil = PyInterpreterConfig_OWN_GIL`), all recording into `tracer`.
pub fn own_gil_interpreters(n: usize, tracer: &Tracer) -> Vec<Interpreter> {
    (0..n)
        .map(|_| Interpreter::builder().tracer(tracer.clone()).build())
        .collect()
}
