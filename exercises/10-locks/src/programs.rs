//! Given: three more counter programs for the model, beside its own `add_in_place`
//! (`counter += 1`) and `add_with_call` (`counter = counter + one()`). The checks
//! race all five.

use python_model::{Function, Instr, Program};

/// `def one(): return 1`.
fn one() -> Function {
    Function {
        name: "one".into(),
        params: 0,
        locals: vec![],
        code: vec![Instr::Resume, Instr::LoadConst(1), Instr::ReturnValue],
    }
}

/// `counter = one() + counter`: the call comes before the read.
pub fn call_first() -> Program {
    let source = "\
counter = 0

def one():
    return 1

def call_first(n):
    global counter
    for _ in range(n):
        counter = one() + counter
";
    let code = vec![
        Instr::Resume,
        Instr::LoadFast(0),
        Instr::GetIter,
        Instr::ForIter { exit: 10 },
        Instr::StoreFast(1),
        Instr::Call {
            function: 0,
            argc: 0,
        },
        Instr::LoadGlobal(0),
        Instr::BinaryAdd,
        Instr::StoreGlobal(0),
        Instr::JumpBackward { target: 3 },
        Instr::LoadConst(0),
        Instr::ReturnValue,
    ];
    let f = Function {
        name: "call_first".into(),
        params: 1,
        locals: vec!["n".into(), "_".into()],
        code,
    };
    Program::new(source, vec!["counter".into()], vec![], vec![one(), f])
        .unwrap_or_else(|e| unreachable!("the given program is valid: {e}"))
}

/// `x = counter; one(); counter = x + 1`: a call between the read and the write, the
/// value kept in a local.
pub fn read_call_write() -> Program {
    let source = "\
counter = 0

def one():
    return 1

def read_call_write(n):
    global counter
    for _ in range(n):
        x = counter
        one()
        counter = x + 1
";
    let code = vec![
        Instr::Resume,
        Instr::LoadFast(0),
        Instr::GetIter,
        Instr::ForIter { exit: 14 },
        Instr::StoreFast(1),
        Instr::LoadGlobal(0),
        Instr::StoreFast(2),
        Instr::Call {
            function: 0,
            argc: 0,
        },
        Instr::PopTop,
        Instr::LoadFast(2),
        Instr::LoadConst(1),
        Instr::BinaryAdd,
        Instr::StoreGlobal(0),
        Instr::JumpBackward { target: 3 },
        Instr::LoadConst(0),
        Instr::ReturnValue,
    ];
    let f = Function {
        name: "read_call_write".into(),
        params: 1,
        locals: vec!["n".into(), "_".into(), "x".into()],
        code,
    };
    Program::new(source, vec!["counter".into()], vec![], vec![one(), f])
        .unwrap_or_else(|e| unreachable!("the given program is valid: {e}"))
}

/// `x = counter`, then `with guard: counter = x + 1`, after a `with guard: one()`: the
/// lock covers the write but not the read, and the other thread can be holding it
/// (switched out inside `one()`) when this one comes to take it.
pub fn lock_only_the_write() -> Program {
    let source = "\
import threading

counter = 0
guard = threading.Lock()

def one():
    return 1

def lock_only_the_write(n):
    global counter
    for _ in range(n):
        with guard:
            one()
        x = counter
        with guard:
            counter = x + 1
";
    let code = vec![
        Instr::Resume,
        Instr::LoadFast(0),
        Instr::GetIter,
        Instr::ForIter { exit: 18 },
        Instr::StoreFast(1),
        Instr::LockAcquire(0),
        Instr::Call {
            function: 0,
            argc: 0,
        },
        Instr::PopTop,
        Instr::LockRelease(0),
        Instr::LoadGlobal(0),
        Instr::StoreFast(2),
        Instr::LockAcquire(0),
        Instr::LoadFast(2),
        Instr::LoadConst(1),
        Instr::BinaryAdd,
        Instr::StoreGlobal(0),
        Instr::LockRelease(0),
        Instr::JumpBackward { target: 3 },
        Instr::LoadConst(0),
        Instr::ReturnValue,
    ];
    let f = Function {
        name: "lock_only_the_write".into(),
        params: 1,
        locals: vec!["n".into(), "_".into(), "x".into()],
        code,
    };
    Program::new(
        source,
        vec!["counter".into()],
        vec!["guard".into()],
        vec![one(), f],
    )
    .unwrap_or_else(|e| unreachable!("the given program is valid: {e}"))
}
