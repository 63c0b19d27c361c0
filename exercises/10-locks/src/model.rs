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
/// - [`CheckPoints::EveryInstruction`] (CPython 3.9): before every instruction.
/// - [`CheckPoints::BackEdgesAndCalls`] (CPython 3.10+): before a check point
///   ([`Instr::is_check_point`]: `RESUME`, `JUMP_BACKWARD`), and at a `CALL`, which enters
///   a function whose first instruction is `RESUME`.
/// - With either: at a `LOCK_ACQUIRE`, which may wait for the lock without the GIL.
///
/// A read-modify-write that sits inside `with lock:` (a `LOCK_ACQUIRE` before the read and
/// its `LOCK_RELEASE` after the write, in the same function) loses nothing, even if a
/// thread is switched out in the middle: the other thread waits for the lock.
pub fn can_lose_updates(program: &Program, check_points: CheckPoints) -> bool {
    // TODO: for each function (`program.functions()`, its `code`), for each
    // `Instr::LoadGlobal(g)` at index `read`, find the next `Instr::StoreGlobal(g)` of the
    // same `g` at index `write` (none: not a read-modify-write). Skip it if a lock covers
    // it (see above). Otherwise it can lose updates if any instruction in
    // `code[read + 1..=write]` lets another thread in, by the rules above.
    todo!()
}

/// `program` with every read-modify-write of a global wrapped in `with lock:`: a
/// `LOCK_ACQUIRE` just before the `LOAD_GLOBAL g` and a `LOCK_RELEASE` just after the
/// next `STORE_GLOBAL g` of the same function, both on one new lock named `"lock"`
/// (added after the program's own locks). Nothing else changes: the same source,
/// globals, functions and arguments; the lock covers the read-modify-write and no more.
pub fn with_lock(program: &Program) -> Program {
    // TODO:
    // - the locks: `program.locks().to_vec()` plus `"lock"`; its index is the old length
    //   (as a `python_model::bytecode::LockIndex`, a u16);
    // - for each function, clone it and find its read-modify-writes as in
    //   `can_lose_updates`; put `Instr::LockRelease(lock)` right after the write and
    //   `Instr::LockAcquire(lock)` right before the read with the given
    //   `insert(&mut code, at, instr)` (it keeps the jumps right). Insert the release
    //   first: inserting the acquire moves everything after it one place on;
    // - `Program::new(program.source(), globals, locks, functions)`; it checks the result,
    //   so an `Err` here is a bug: `.expect("...")` it.
    todo!()
}
