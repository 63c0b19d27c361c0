//! The mistake: "no GIL is even better", so every interpreter is free-threaded. That
//! is PEP 703's build, not PEP 684's interpreters with a GIL each.

use python_model::{Interpreter, Tracer};

/// `n` free-threaded interpreters.
pub fn own_gil_interpreters(n: usize, tracer: &Tracer) -> Vec<Interpreter> {
    (0..n)
        .map(|_| Interpreter::builder().tracer(tracer.clone()).free_threaded().build())
        .collect()
}
