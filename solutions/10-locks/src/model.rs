//! The lost update on the course's model of CPython: where it happens, and the lock that
//! fixes it.

use python_model::bytecode::LockIndex;
use python_model::{CheckPoints, Function, Instr, Program};

use crate::bytecode_edit::insert;

/// Whether two threads running `program` at once, on an interpreter whose threads look at
/// the eval breaker at `check_points`, can lose an update to a global: a thread can be
/// switched out between reading a global and writing it back, outside a lock.
pub fn can_lose_updates(program: &Program, check_points: CheckPoints) -> bool {
    program.functions().iter().any(|f| {
        read_modify_writes(&f.code).any(|(read, write)| {
            !locked(&f.code, read, write)
                && f.code[read + 1..=write]
                    .iter()
                    .any(|&instr| lets_another_thread_in(instr, check_points))
        })
    })
}

/// Whether another thread may run before `instr` executes.
fn lets_another_thread_in(instr: Instr, check_points: CheckPoints) -> bool {
    match instr {
        // Waiting for a lock lets go of the GIL, on every version.
        Instr::LockAcquire(_) => true,
        _ => match check_points {
            // CPython 3.9: the eval breaker is looked at before (nearly) every instruction.
            CheckPoints::EveryInstruction => true,
            // CPython 3.10+: only RESUME and JUMP_BACKWARD look at it; a CALL runs the
            // callee's RESUME.
            CheckPoints::BackEdgesAndCalls => {
                instr.is_check_point() || matches!(instr, Instr::Call { .. })
            }
        },
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

/// Whether some lock is taken before `read` and released only after `write`.
fn locked(code: &[Instr], read: usize, write: usize) -> bool {
    code[..read].iter().enumerate().any(|(at, &instr)| {
        let Instr::LockAcquire(l) = instr else {
            return false;
        };
        // Its release comes after the write, and none comes in between.
        let released = code[at + 1..]
            .iter()
            .position(|&i| i == Instr::LockRelease(l))
            .map(|p| at + 1 + p);
        released.is_some_and(|r| r > write)
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
