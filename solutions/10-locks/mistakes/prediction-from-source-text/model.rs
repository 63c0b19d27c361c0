//! The lost update on the course's model of CPython: where it happens, and the lock that
//! fixes it.

use python_model::bytecode::LockIndex;
use python_model::{CheckPoints, Function, Instr, Program};

use crate::bytecode_edit::insert;

/// Whether two threads running `program` at once, on an interpreter whose threads look at
/// the eval breaker at `check_points`, can lose an update to a global: a thread can be
/// switched out between reading a global and writing it back, outside a lock.
pub fn can_lose_updates(program: &Program, check_points: CheckPoints) -> bool {
    // THE MISTAKE: reasoning on the Python text instead of the bytecode. It knows the
    // chapter's programs by heart: a call on the right of the `+`, or a value kept in a
    // local across a call; a program with a lock is taken to be safe.
    if !program.locks().is_empty() {
        return false;
    }
    let source = program.source();
    match check_points {
        CheckPoints::EveryInstruction => true,
        CheckPoints::BackEdgesAndCalls => {
            source.contains("counter = counter + one()") || source.contains("x = counter")
        }
    }
}

/// Each `(read, write)`: a `LOAD_GLOBAL g` and the next `STORE_GLOBAL g` after it.
fn read_modify_writes(code: &[Instr]) -> impl Iterator<Item = (usize, usize)> + '_ {
    code.iter().enumerate().filter_map(|(read, &instr)| {
        let Instr::LoadGlobal(g) = instr else {
            return None;
        };
        let after = code[read + 1..]
            .iter()
            .position(|&i| i == Instr::StoreGlobal(g))?;
        Some((read, read + 1 + after))
    })
}

/// `program` with every read-modify-write of a global wrapped in `with lock:`, on one new
/// lock named `"lock"`; the lock covers the read-modify-write and no more.
pub fn with_lock(program: &Program) -> Program {
    let mut locks = program.locks().to_vec();
    let lock = LockIndex::try_from(locks.len()).expect("fewer than 65536 locks");
    locks.push("lock".into());
    let functions = program
        .functions()
        .iter()
        .map(|f| {
            let mut code = f.code.clone();
            // Last first, so that the indices of the earlier ones stay right.
            let spans: Vec<_> = read_modify_writes(&f.code).collect();
            for &(read, write) in spans.iter().rev() {
                insert(&mut code, write + 1, Instr::LockRelease(lock));
                insert(&mut code, read, Instr::LockAcquire(lock));
            }
            Function { code, ..f.clone() }
        })
        .collect();
    Program::new(
        program.source(),
        program.globals().to_vec(),
        locks,
        functions,
    )
    .expect("adding a lock around a read-modify-write keeps the program valid")
}
