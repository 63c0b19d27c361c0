//! The lost update on the course's model of CPython: where it happens, and the lock that
//! fixes it.

use python_model::{CheckPoints, Instr, Program};

use crate::bytecode_edit::insert;

/// Whether two threads running `program` at once, on an interpreter whose threads look at
/// the eval breaker at `check_points`, can lose an update to a global.
///
/// An update is lost when a thread reads a global (`LOAD_GLOBAL g`), loses the GIL before
/// it writes the global back (the next `STORE_GLOBAL g` in the same function), and another
/// thread writes it meanwhile.
///
/// Where the model's threads can be switched out:
/// - [EveryInstruction](CheckPoints::EveryInstruction) (CPython 3.9): before every
///   instruction.
/// - [BackEdgesAndCalls](CheckPoints::BackEdgesAndCalls) (CPython 3.10+): before a check
///   point ([`Instr::is_check_point`]: `RESUME`, `JUMP_BACKWARD`), and at a `CALL`, which
///   enters a function whose first instruction is `RESUME`.
/// - With either, a thread also gives up the GIL by itself around a blocking call (the
///   page's "Where the key can change hands"): which of the model's instructions can
///   block?
///
/// A read-modify-write that sits inside `with lock:` (a `LOCK_ACQUIRE` before the read and
/// its `LOCK_RELEASE` after the write, in the same function) loses nothing, even if a
/// thread is switched out in the middle: the other thread waits for the lock.
pub fn can_lose_updates(program: &Program, check_points: CheckPoints) -> bool {
    // TODO: the rule above, applied to `program`'s instructions, never to its source text
    // (the checks also race programs they make up). Which stretch of a function is at
    // risk, and which of its instructions let another thread in?
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
    // TODO: the same read-modify-writes as in `can_lose_updates`, each wrapped as the
    // contract says, with the given `insert` (it keeps the jumps right). Once you have
    // inserted one instruction, where do the others belong? `Program::new` checks the
    // result: an error there is a bug in your code, not something to pass on.
    todo!()
}
