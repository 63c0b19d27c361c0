//! PEP 684 (Python 3.12): several interpreters in one process, each with a GIL of its own.

use python_model::{Interpreter, Tracer};

/// `n` interpreters of the model, each with a GIL of its own (PEP 684's
/// `PyInterpreterConfig.gil = PyInterpreterConfig_OWN_GIL`), all recording into `tracer`
/// so that the checks can read what their threads did.
///
/// ```python
/// from concurrent import interpreters  # Python 3.14, PEP 734
/// interps = [interpreters.create() for _ in range(n)]
/// ```
///
/// Read: the chapter's page *Interpreters on the model* (the builder and its GIL
/// choices: `InterpreterBuilder`, `GilMode`).
pub fn own_gil_interpreters(n: usize, tracer: &Tracer) -> Vec<Interpreter> {
    // TODO: `n` interpreters whose threads can hold their GILs at the same moment, each
    // recording into `tracer`. The builder has three GIL choices; only one of them is
    // PEP 684's.
    todo!()
}
