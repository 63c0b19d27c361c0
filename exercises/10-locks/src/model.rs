//! The lost update on the course's model of CPython: where it happens, and the lock that
//! fixes it.

use python_model::{CheckPoints, Instr, Program};

use crate::bytecode_edit::insert;

/// Whether two threads running `program` at once, on an interpreter whose threads look at
/// the eval breaker at `check_points`, can lose an update to a global.
///
/// An update is lost when a thread reads a global (`LOAD_GLOBAL g`), loses the GIL before
/// it writes the global back (the next `STORE_GLOBAL g` in the same function), and another
/// thread writes it meanwhile. So look, in every function, at the instructions after each
/// read up to and including its write: can a thread be switched out before any of them?
///
/// - [EveryInstruction](CheckPoints::EveryInstruction) (CPython 3.9): before every instruction.
/// - [BackEdgesAndCalls](CheckPoints::BackEdgesAndCalls) (CPython 3.10+): before a check point
///   ([`Instr::is_check_point`]: `RESUME`, `JUMP_BACKWARD`), and at a `CALL`, which enters
///   a function whose first instruction is `RESUME`.
/// - With either: at a `LOCK_ACQUIRE`, which may wait for the lock without the GIL.
///
/// A read-modify-write that sits inside `with lock:` (a `LOCK_ACQUIRE` before the read and
/// its `LOCK_RELEASE` after the write, in the same function) loses nothing, even if a
/// thread is switched out in the middle: the other thread waits for the lock.
pub fn can_lose_updates(program: &Program, check_points: CheckPoints) -> bool {
    // TODO: find every read-modify-write of a global (in each function, a read and the
    // next write of the same global), skip those a lock covers, and ask of the rest
    // whether a thread can be switched out between the read and the write. Reason on the
    // bytecode, never on the source text: the checks also race programs they make up.
    todo!()
}

/// `program` with every read-modify-write of a global wrapped in `with lock:`: a
/// `LOCK_ACQUIRE` just before the `LOAD_GLOBAL g` and a `LOCK_RELEASE` just after the
/// next `STORE_GLOBAL g` of the same function, both on one new lock named `"lock"`
/// (added after the program's own locks). Nothing else changes: the same source,
/// globals, functions and arguments; the lock covers the read-modify-write and no more.
///
/// Python: `with lock:` around the update, and nothing else. Read: "Where CPython loses
/// an update" in this chapter.
pub fn with_lock(program: &Program) -> Program {
    // TODO: the same read-modify-writes as in `can_lose_updates`, each wrapped in the
    // new lock: a LOCK_ACQUIRE right before the read, a LOCK_RELEASE right after the
    // write, put in with the given `insert` (it keeps the jumps right). Mind that each
    // insert moves everything after it one place on. `Program::new` checks the result:
    // an error there is a bug in your code, not something to pass on.
    todo!()
}
