//! Given: inserting an instruction into a function of the model's bytecode.

use python_model::Instr;

/// Inserts `instr` into `code` before the instruction at index `at` (`at == code.len()`
/// appends), and moves every jump target at or after `at` one place on, so that each
/// jump still lands on the instruction it landed on before.
///
/// # Panics
/// If `at > code.len()`.
pub fn insert(code: &mut Vec<Instr>, at: usize, instr: Instr) {
    let moved = |target: u32| {
        if target as usize >= at {
            target + 1
        } else {
            target
        }
    };
    for old in code.iter_mut() {
        match old {
            Instr::ForIter { exit } => *exit = moved(*exit),
            Instr::JumpBackward { target } => *target = moved(*target),
            _ => {}
        }
    }
    code.insert(at, instr);
}
