//! The mistake: one GIL for all the interpreters.

use python_model::{Interpreter, Tracer};

/// `n` interpreters that all take the first one's GIL: legacy sub-interpreters, whose
/// threads take turns as the threads of one interpreter do.
pub fn own_gil_interpreters(n: usize, tracer: &Tracer) -> Vec<Interpreter> {
    let mut interps: Vec<Interpreter> = Vec::with_capacity(n);
    for _ in 0..n {
        let builder = Interpreter::builder().tracer(tracer.clone());
        let builder = match interps.first() {
            Some(main) => builder.share_gil_with(main),
            None => builder,
        };
        interps.push(builder.build());
    }
    interps
}
