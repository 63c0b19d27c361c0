//! The lost update on the model, written with index loops and a forward rebuild.

use python_model::{CheckPoints, Function, Instr, Program};

/// Whether two threads running `program` can lose an update to a global.
pub fn can_lose_updates(program: &Program, check_points: CheckPoints) -> bool {
    for function in program.functions() {
        let code = &function.code;
        for (read, write) in spans(code) {
            if covered(code, read, write) {
                continue;
            }
            for &instr in &code[read + 1..=write] {
                let switch = match (instr, check_points) {
                    (Instr::LockAcquire(_), _) => true,
                    (_, CheckPoints::EveryInstruction) => true,
                    (Instr::Resume | Instr::JumpBackward { .. } | Instr::Call { .. }, _) => true,
                    (_, CheckPoints::BackEdgesAndCalls) => false,
                };
                if switch {
                    return true;
                }
            }
        }
    }
    false
}

/// Every read of a global with the next write of the same global.
fn spans(code: &[Instr]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for read in 0..code.len() {
        if let Instr::LoadGlobal(g) = code[read]
            && let Some(write) = (read + 1..code.len()).find(|&i| code[i] == Instr::StoreGlobal(g))
        {
            found.push((read, write));
        }
    }
    found
}

/// Whether a lock acquired before `read` is released only after `write`.
fn covered(code: &[Instr], read: usize, write: usize) -> bool {
    (0..read).any(|at| match code[at] {
        Instr::LockAcquire(l) => (at + 1..code.len())
            .find(|&i| code[i] == Instr::LockRelease(l))
            .is_some_and(|release| release > write),
        _ => false,
    })
}

/// `program` with every read-modify-write of a global inside `with lock:`.
pub fn with_lock(program: &Program) -> Program {
    let mut locks = program.locks().to_vec();
    let lock = u16::try_from(locks.len()).expect("fewer than 65536 locks");
    locks.push("lock".to_string());
    let mut functions = Vec::new();
    for f in program.functions() {
        let spans = spans(&f.code);
        let starts: Vec<usize> = spans.iter().map(|&(read, _)| read).collect();
        let ends: Vec<usize> = spans.iter().map(|&(_, write)| write).collect();
        // Where each old instruction lands in the new code.
        let mut new_at = Vec::with_capacity(f.code.len() + 1);
        let mut shift = 0u32;
        for i in 0..=f.code.len() {
            shift += starts.iter().filter(|&&s| s == i).count() as u32;
            new_at.push(i as u32 + shift);
            shift += ends.iter().filter(|&&e| e == i).count() as u32;
        }
        // A jump lands on the instruction it landed on before, as the given `insert` keeps it.
        let target = |old: u32| new_at[old as usize];
        let mut code = Vec::new();
        for (i, &instr) in f.code.iter().enumerate() {
            for _ in starts.iter().filter(|&&s| s == i) {
                code.push(Instr::LockAcquire(lock));
            }
            code.push(match instr {
                Instr::ForIter { exit } => Instr::ForIter { exit: target(exit) },
                Instr::JumpBackward { target: to } => Instr::JumpBackward { target: target(to) },
                other => other,
            });
            for _ in ends.iter().filter(|&&e| e == i) {
                code.push(Instr::LockRelease(lock));
            }
        }
        functions.push(Function {
            name: f.name.clone(),
            params: f.params,
            locals: f.locals.clone(),
            code,
        });
    }
    match Program::new(
        program.source(),
        program.globals().to_vec(),
        locks,
        functions,
    ) {
        Ok(locked) => locked,
        Err(e) => unreachable!("a lock around each read-modify-write keeps the program valid: {e}"),
    }
}
