//! A tiny bytecode, named after CPython 3.11's instructions, and the two counter programs
//! whose difference is where the check points fall.
//!
//! Values are 64-bit integers. A program is a list of functions plus the names of the
//! globals it uses; [`PyThread::call`](crate::PyThread::call) runs one of its functions.

use std::fmt;

/// Where a thread looks at the eval breaker (the drop request).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CheckPoints {
    /// CPython 3.10 and later: only at `RESUME` (function entry, so inside every call of a
    /// Python function) and `JUMP_BACKWARD` (a loop's back-edge). Straight-line code in
    /// between is never interrupted, so `counter += 1` loses no update.
    #[default]
    BackEdgesAndCalls,
    /// CPython 3.9 and earlier, simplified: before every instruction (3.9 skipped the check
    /// after a few instructions such as `LOAD_FAST`). `counter += 1` can be interrupted
    /// between its `LOAD_GLOBAL` and its `STORE_GLOBAL`, so updates are lost.
    EveryInstruction,
}

/// Index of a local variable in its function's frame.
pub type Local = u16;
/// Index of a global in the program's list of global names.
pub type Global = u16;
/// Index of a lock in the program's list of lock names.
pub type LockIndex = u16;

// ANCHOR: instr
/// One instruction. Jump targets are instruction indices in the same function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Instr {
    /// `RESUME`: the first instruction of every function; a check point.
    Resume,
    /// `LOAD_CONST`: push a constant.
    LoadConst(i64),
    /// `LOAD_FAST`: push a local.
    LoadFast(Local),
    /// `STORE_FAST`: pop into a local.
    StoreFast(Local),
    /// `LOAD_GLOBAL`: push a global (shared by all threads of the interpreter).
    LoadGlobal(Global),
    /// `STORE_GLOBAL`: pop into a global.
    StoreGlobal(Global),
    /// `BINARY_OP (+)`: pop two, push their sum.
    BinaryAdd,
    /// `CALL`: pop `argc` arguments and call a function of the program. Not a check point
    /// itself: the callee's first instruction, `RESUME`, is (as in CPython 3.11).
    Call {
        /// Index of the callee in the program.
        function: u16,
        /// Number of arguments.
        argc: u16,
    },
    /// `GET_ITER` on `range(n)`: pop `n`, push an iterator over `0..n` (two stack slots).
    GetIter,
    /// `FOR_ITER`: push the iterator's next value, or pop the iterator and jump to `exit`.
    ForIter {
        /// Where the loop ends.
        exit: u32,
    },
    /// `JUMP_BACKWARD`: jump back to `target`; a check point.
    JumpBackward {
        /// The loop head.
        target: u32,
    },
    /// `POP_TOP`: discard the top of the stack.
    PopTop,
    /// The model's stand-in for entering `with lock:` (CPython: `BEFORE_WITH` calling
    /// `lock.__enter__`): take the lock, waiting for it without the GIL if it is taken.
    LockAcquire(LockIndex),
    /// The model's stand-in for leaving `with lock:` (the call of `lock.__exit__`).
    LockRelease(LockIndex),
    /// `RETURN_VALUE`: return the top of the stack to the caller.
    ReturnValue,
}
// ANCHOR_END: instr

impl Instr {
    /// Whether CPython 3.10+ checks the eval breaker at this instruction.
    #[inline(always)]
    pub fn is_check_point(self) -> bool {
        matches!(self, Instr::Resume | Instr::JumpBackward { .. })
    }

    /// CPython's name for it.
    pub fn opname(self) -> &'static str {
        match self {
            Instr::Resume => "RESUME",
            Instr::LoadConst(_) => "LOAD_CONST",
            Instr::LoadFast(_) => "LOAD_FAST",
            Instr::StoreFast(_) => "STORE_FAST",
            Instr::LoadGlobal(_) => "LOAD_GLOBAL",
            Instr::StoreGlobal(_) => "STORE_GLOBAL",
            Instr::BinaryAdd => "BINARY_OP",
            Instr::Call { .. } => "CALL",
            Instr::GetIter => "GET_ITER",
            Instr::ForIter { .. } => "FOR_ITER",
            Instr::JumpBackward { .. } => "JUMP_BACKWARD",
            Instr::PopTop => "POP_TOP",
            Instr::LockAcquire(_) => "LOCK_ACQUIRE",
            Instr::LockRelease(_) => "LOCK_RELEASE",
            Instr::ReturnValue => "RETURN_VALUE",
        }
    }
}

// ANCHOR: function
/// A function: its name, how many of its locals are parameters, the names of all its
/// locals, and its code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    /// Its name, for calls by name and for disassembly.
    pub name: String,
    /// The first `params` locals are its parameters.
    pub params: u16,
    /// The names of its locals (parameters first).
    pub locals: Vec<String>,
    /// Its instructions.
    pub code: Vec<Instr>,
}
// ANCHOR_END: function

/// A checked program: every index in it points at something that exists, so running it
/// can fail only on stack misuse, an unset global or overflow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    source: String,
    globals: Vec<String>,
    locks: Vec<String>,
    functions: Vec<Function>,
}

/// Why [`Program::new`] refused a program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramError(String);

impl fmt::Display for ProgramError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProgramError {}

impl Program {
    /// Checks and builds a program. `source` is the Python it stands for (shown by
    /// `Display`); `globals` names the integer globals that `LOAD_GLOBAL`/`STORE_GLOBAL`
    /// index, `locks` the `threading.Lock` globals that `LOCK_ACQUIRE`/`LOCK_RELEASE` index.
    ///
    /// # Errors
    /// A sentence naming the function and instruction when an index points at nothing, a
    /// call passes the wrong number of arguments, a jump goes the wrong way, or a function
    /// does not start with `RESUME`.
    pub fn new(
        source: &str,
        globals: Vec<String>,
        locks: Vec<String>,
        functions: Vec<Function>,
    ) -> Result<Program, ProgramError> {
        let err = |f: &Function, pc: usize, what: String| {
            Err(ProgramError(format!(
                "in function {:?} at instruction {pc}: {what}",
                f.name
            )))
        };
        for f in &functions {
            if usize::from(f.params) > f.locals.len() {
                return Err(ProgramError(format!(
                    "function {:?} has {} parameters but only {} locals",
                    f.name,
                    f.params,
                    f.locals.len()
                )));
            }
            if f.code.first() != Some(&Instr::Resume) {
                return err(f, 0, "a function must start with RESUME".into());
            }
            for (pc, instr) in f.code.iter().enumerate() {
                match *instr {
                    Instr::LoadFast(l) | Instr::StoreFast(l)
                        if usize::from(l) >= f.locals.len() =>
                    {
                        return err(f, pc, format!("no local number {l}"));
                    }
                    Instr::LoadGlobal(g) | Instr::StoreGlobal(g)
                        if usize::from(g) >= globals.len() =>
                    {
                        return err(f, pc, format!("no global number {g}"));
                    }
                    Instr::LockAcquire(l) | Instr::LockRelease(l)
                        if usize::from(l) >= locks.len() =>
                    {
                        return err(f, pc, format!("no lock number {l}"));
                    }
                    Instr::Call { function, argc } => match functions.get(usize::from(function)) {
                        None => return err(f, pc, format!("no function number {function}")),
                        Some(callee) if callee.params != argc => {
                            return err(
                                f,
                                pc,
                                format!(
                                    "{} takes {} arguments, not {argc}",
                                    callee.name, callee.params
                                ),
                            );
                        }
                        Some(_) => {}
                    },
                    Instr::ForIter { exit } if exit as usize > f.code.len() => {
                        return err(f, pc, format!("FOR_ITER exits to {exit}, past the end"));
                    }
                    Instr::JumpBackward { target } if target as usize >= pc => {
                        return err(f, pc, format!("JUMP_BACKWARD to {target} is not backward"));
                    }
                    _ => {}
                }
            }
        }
        Ok(Program {
            source: source.to_string(),
            globals,
            locks,
            functions,
        })
    }

    /// The Python source the program stands for.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The globals it uses, by index.
    pub fn globals(&self) -> &[String] {
        &self.globals
    }

    /// The locks it uses, by index.
    pub fn locks(&self) -> &[String] {
        &self.locks
    }

    /// Its functions, by index.
    pub fn functions(&self) -> &[Function] {
        &self.functions
    }

    /// The index of the function called `name`.
    pub fn function_index(&self, name: &str) -> Option<usize> {
        self.functions.iter().position(|f| f.name == name)
    }

    /// `counter += 1` in a loop: `LOAD_GLOBAL`, `LOAD_CONST`, `BINARY_OP`, `STORE_GLOBAL`
    /// with no check point between the read and the write. Entry: `add_in_place(n)`.
    pub fn add_in_place() -> Program {
        let source = "\
counter = 0

def add_in_place(n):
    global counter
    for _ in range(n):
        counter += 1
";
        let body = vec![
            Instr::Resume,
            Instr::LoadFast(0),
            Instr::GetIter,
            Instr::ForIter { exit: 10 },
            Instr::StoreFast(1),
            Instr::LoadGlobal(0),
            Instr::LoadConst(1),
            Instr::BinaryAdd,
            Instr::StoreGlobal(0),
            Instr::JumpBackward { target: 3 },
            Instr::LoadConst(0),
            Instr::ReturnValue,
        ];
        Program::new(
            source,
            vec!["counter".into()],
            vec![],
            vec![Function {
                name: "add_in_place".into(),
                params: 1,
                locals: vec!["n".into(), "_".into()],
                code: body,
            }],
        )
        .unwrap_or_else(|e| unreachable!("the built-in program is valid: {e}"))
    }

    /// `counter = counter + one()` in a loop: the `CALL` between the `LOAD_GLOBAL` and the
    /// `STORE_GLOBAL` enters `one`, whose `RESUME` is a check point. Entry: `add_with_call(n)`.
    pub fn add_with_call() -> Program {
        let source = "\
counter = 0

def one():
    return 1

def add_with_call(n):
    global counter
    for _ in range(n):
        counter = counter + one()
";
        let one = Function {
            name: "one".into(),
            params: 0,
            locals: vec![],
            code: vec![Instr::Resume, Instr::LoadConst(1), Instr::ReturnValue],
        };
        let add = Function {
            name: "add_with_call".into(),
            params: 1,
            locals: vec!["n".into(), "_".into()],
            code: vec![
                Instr::Resume,
                Instr::LoadFast(0),
                Instr::GetIter,
                Instr::ForIter { exit: 10 },
                Instr::StoreFast(1),
                Instr::LoadGlobal(0),
                Instr::Call {
                    function: 0,
                    argc: 0,
                },
                Instr::BinaryAdd,
                Instr::StoreGlobal(0),
                Instr::JumpBackward { target: 3 },
                Instr::LoadConst(0),
                Instr::ReturnValue,
            ],
        };
        Program::new(source, vec!["counter".into()], vec![], vec![one, add])
            .unwrap_or_else(|e| unreachable!("the built-in program is valid: {e}"))
    }

    /// `counter += 1` inside `with lock:`: no update is lost, with or without a GIL.
    /// Entry: `add_in_place_locked(n)`.
    pub fn add_in_place_locked() -> Program {
        let source = "\
counter = 0
lock = threading.Lock()

def add_in_place_locked(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1
";
        let body = vec![
            Instr::Resume,
            Instr::LoadFast(0),
            Instr::GetIter,
            Instr::ForIter { exit: 12 },
            Instr::StoreFast(1),
            Instr::LockAcquire(0),
            Instr::LoadGlobal(0),
            Instr::LoadConst(1),
            Instr::BinaryAdd,
            Instr::StoreGlobal(0),
            Instr::LockRelease(0),
            Instr::JumpBackward { target: 3 },
            Instr::LoadConst(0),
            Instr::ReturnValue,
        ];
        Program::new(
            source,
            vec!["counter".into()],
            vec!["lock".into()],
            vec![Function {
                name: "add_in_place_locked".into(),
                params: 1,
                locals: vec!["n".into(), "_".into()],
                code: body,
            }],
        )
        .unwrap_or_else(|e| unreachable!("the built-in program is valid: {e}"))
    }

    /// `counter = counter + one()` inside `with lock:`: the check point inside the call may
    /// still switch threads, but the other thread then waits for the lock instead of
    /// updating the counter, so no update is lost. Entry: `add_with_call_locked(n)`.
    pub fn add_with_call_locked() -> Program {
        let source = "\
counter = 0
lock = threading.Lock()

def one():
    return 1

def add_with_call_locked(n):
    global counter
    for _ in range(n):
        with lock:
            counter = counter + one()
";
        let one = Function {
            name: "one".into(),
            params: 0,
            locals: vec![],
            code: vec![Instr::Resume, Instr::LoadConst(1), Instr::ReturnValue],
        };
        let add = Function {
            name: "add_with_call_locked".into(),
            params: 1,
            locals: vec!["n".into(), "_".into()],
            code: vec![
                Instr::Resume,
                Instr::LoadFast(0),
                Instr::GetIter,
                Instr::ForIter { exit: 12 },
                Instr::StoreFast(1),
                Instr::LockAcquire(0),
                Instr::LoadGlobal(0),
                Instr::Call {
                    function: 0,
                    argc: 0,
                },
                Instr::BinaryAdd,
                Instr::StoreGlobal(0),
                Instr::LockRelease(0),
                Instr::JumpBackward { target: 3 },
                Instr::LoadConst(0),
                Instr::ReturnValue,
            ],
        };
        Program::new(
            source,
            vec!["counter".into()],
            vec!["lock".into()],
            vec![one, add],
        )
        .unwrap_or_else(|e| unreachable!("the built-in program is valid: {e}"))
    }
}

impl fmt::Display for Program {
    /// The source, then a `dis`-like listing; `*` marks the check points of CPython 3.10+.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.source.trim_end())?;
        for func in &self.functions {
            writeln!(f)?;
            writeln!(
                f,
                "Disassembly of {}({}):",
                func.name,
                func.locals[..usize::from(func.params)].join(", ")
            )?;
            for (pc, instr) in func.code.iter().enumerate() {
                let mark = if instr.is_check_point() { '*' } else { ' ' };
                let arg = match *instr {
                    Instr::LoadConst(v) => v.to_string(),
                    Instr::LoadFast(l) | Instr::StoreFast(l) => {
                        func.locals.get(usize::from(l)).cloned().unwrap_or_default()
                    }
                    Instr::LoadGlobal(g) | Instr::StoreGlobal(g) => self
                        .globals
                        .get(usize::from(g))
                        .cloned()
                        .unwrap_or_default(),
                    Instr::LockAcquire(l) | Instr::LockRelease(l) => {
                        self.locks.get(usize::from(l)).cloned().unwrap_or_default()
                    }
                    Instr::BinaryAdd => "+".into(),
                    Instr::Call { function, argc } => {
                        let name = self
                            .functions
                            .get(usize::from(function))
                            .map_or("?", |c| c.name.as_str());
                        format!("{name} ({argc} args)")
                    }
                    Instr::ForIter { exit } => format!("to {exit}"),
                    Instr::JumpBackward { target } => format!("to {target}"),
                    _ => String::new(),
                };
                writeln!(f, " {mark} {pc:>3} {:<14} {arg}", instr.opname())?;
            }
        }
        Ok(())
    }
}
