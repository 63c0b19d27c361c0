//! The evaluation loop (CPython's `ceval.c`, in miniature): runs a [`Program`] on a
//! [`PyThread`], checking the eval breaker only where [`CheckPoints`] says.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use crate::bytecode::{CheckPoints, Instr, Program};
use crate::lock::PyLock;
use crate::thread::PyThread;

/// Deepest call nesting a program may reach (CPython's recursion limit is 1000 too).
const RECURSION_LIMIT: usize = 1000;

/// Why running a program failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvalError {
    /// No function of that name in the program.
    NoSuchFunction(String),
    /// The entry function was given the wrong number of arguments.
    WrongArgumentCount {
        /// The function.
        function: String,
        /// Its parameter count.
        expected: usize,
        /// The number of arguments given.
        got: usize,
    },
    /// A global the program uses was never set on the interpreter.
    NameError(String),
    /// An instruction needed more values than its frame's stack held.
    StackUnderflow {
        /// Where.
        function: String,
        /// Instruction index.
        pc: usize,
    },
    /// Execution ran past the last instruction of a function.
    FellOffEnd(String),
    /// An addition overflowed 64 bits.
    Overflow {
        /// Where.
        function: String,
        /// Instruction index.
        pc: usize,
    },
    /// Calls nested deeper than the recursion limit.
    RecursionError,
    /// The thread running the program panicked.
    ThreadPanicked(String),
    /// `LOCK_RELEASE` of a lock that was not locked (`RuntimeError` in CPython).
    ReleaseUnlocked {
        /// Where.
        function: String,
        /// Instruction index.
        pc: usize,
    },
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::NoSuchFunction(name) => {
                write!(f, "the program has no function named {name:?}")
            }
            EvalError::WrongArgumentCount {
                function,
                expected,
                got,
            } => {
                write!(
                    f,
                    "{function}() takes {expected} arguments but {got} were given"
                )
            }
            EvalError::NameError(name) => write!(
                f,
                "name {name:?} is not defined: set it first with interpreter.globals().set({name:?}, 0)"
            ),
            EvalError::StackUnderflow { function, pc } => {
                write!(f, "stack underflow in {function}() at instruction {pc}")
            }
            EvalError::FellOffEnd(function) => {
                write!(
                    f,
                    "{function}() ran past its last instruction (missing RETURN_VALUE?)"
                )
            }
            EvalError::Overflow { function, pc } => {
                write!(f, "integer overflow in {function}() at instruction {pc}")
            }
            EvalError::RecursionError => {
                write!(f, "maximum recursion depth ({RECURSION_LIMIT}) exceeded")
            }
            EvalError::ThreadPanicked(thread) => write!(f, "Python thread {thread} panicked"),
            EvalError::ReleaseUnlocked { function, pc } => {
                write!(
                    f,
                    "release of an unlocked lock in {function}() at instruction {pc}"
                )
            }
        }
    }
}

impl std::error::Error for EvalError {}

/// A suspended caller.
struct Frame {
    function: usize,
    pc: usize,
    locals_base: usize,
    stack_base: usize,
}

impl PyThread {
    /// Calls `function(*args)` of `program` and returns its result. Globals are the
    /// interpreter's (set them first); its locks are the interpreter's too, created unlocked
    /// on first use. The drop request is checked at the check points of the interpreter's
    /// [`CheckPoints`], so another thread may run in between.
    ///
    /// # Errors
    /// [`EvalError`] when the function or a global does not exist, the arguments do not
    /// match, or the code misuses its stack, overflows, recurses too deep or releases an
    /// unlocked lock.
    pub fn call(
        &mut self,
        program: &Program,
        function: &str,
        args: &[i64],
    ) -> Result<i64, EvalError> {
        let entry = program
            .function_index(function)
            .ok_or_else(|| EvalError::NoSuchFunction(function.to_string()))?;
        let params = usize::from(program.functions()[entry].params);
        if params != args.len() {
            return Err(EvalError::WrongArgumentCount {
                function: function.to_string(),
                expected: params,
                got: args.len(),
            });
        }
        let globals = program
            .globals()
            .iter()
            .map(|name| {
                self.interpreter()
                    .globals()
                    .slot(name)
                    .ok_or_else(|| EvalError::NameError(name.clone()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let locks: Vec<Arc<PyLock>> = program
            .locks()
            .iter()
            .map(|name| self.interpreter().lock(name))
            .collect();
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        let result = self.eval(program, entry, args, &globals, &locks, &mut stack);
        self.stack = stack;
        result
    }

    fn eval(
        &mut self,
        program: &Program,
        entry: usize,
        args: &[i64],
        globals: &[Arc<AtomicI64>],
        locks: &[Arc<PyLock>],
        stack: &mut Vec<i64>,
    ) -> Result<i64, EvalError> {
        let every_instruction = self.interpreter().check_points() == CheckPoints::EveryInstruction;
        let breaker = self.breaker.clone();
        let functions = program.functions();
        let mut frames: Vec<Frame> = Vec::new();
        let mut locals: Vec<i64> = Vec::with_capacity(16);

        let mut function = entry;
        let mut code: &[Instr] = &functions[entry].code;
        let mut pc = 0usize;
        let mut locals_base = 0usize;
        let mut stack_base = 0usize;
        locals.extend_from_slice(args);
        locals.resize(functions[entry].locals.len(), 0);

        macro_rules! fail {
            ($variant:ident) => {
                EvalError::$variant {
                    function: functions[function].name.clone(),
                    pc: pc - 1,
                }
            };
        }
        macro_rules! pop {
            () => {
                if stack.len() > stack_base {
                    stack.pop().ok_or_else(|| fail!(StackUnderflow))?
                } else {
                    return Err(fail!(StackUnderflow));
                }
            };
        }

        loop {
            let Some(&instr) = code.get(pc) else {
                return Err(EvalError::FellOffEnd(functions[function].name.clone()));
            };
            pc += 1;
            // The eval breaker: CPython 3.10+ looks at it in RESUME and JUMP_BACKWARD only;
            // 3.9 looked at it before (nearly) every instruction.
            if (every_instruction || instr.is_check_point()) && breaker.is_set() {
                self.handle_eval_breaker();
            }
            match instr {
                Instr::Resume => {}
                Instr::LoadConst(v) => stack.push(v),
                Instr::LoadFast(l) => stack.push(locals[locals_base + usize::from(l)]),
                Instr::StoreFast(l) => {
                    let v = pop!();
                    locals[locals_base + usize::from(l)] = v;
                }
                // A global is read and written in two separate steps, each atomic on its
                // own, as in CPython: what happens between them is up to the check points.
                Instr::LoadGlobal(g) => stack.push(globals[usize::from(g)].load(Ordering::Relaxed)),
                Instr::StoreGlobal(g) => {
                    let v = pop!();
                    globals[usize::from(g)].store(v, Ordering::Relaxed);
                }
                Instr::BinaryAdd => {
                    let b = pop!();
                    let a = pop!();
                    stack.push(a.checked_add(b).ok_or_else(|| fail!(Overflow))?);
                }
                Instr::Call {
                    function: callee,
                    argc,
                } => {
                    if frames.len() >= RECURSION_LIMIT {
                        return Err(EvalError::RecursionError);
                    }
                    let argc = usize::from(argc);
                    if stack.len() < stack_base + argc {
                        return Err(fail!(StackUnderflow));
                    }
                    let args_at = stack.len() - argc;
                    frames.push(Frame {
                        function,
                        pc,
                        locals_base,
                        stack_base,
                    });
                    function = usize::from(callee);
                    code = &functions[function].code;
                    pc = 0;
                    locals_base = locals.len();
                    locals.extend_from_slice(&stack[args_at..]);
                    locals.resize(locals_base + functions[function].locals.len(), 0);
                    stack.truncate(args_at);
                    stack_base = args_at;
                }
                Instr::GetIter => {
                    let n = pop!();
                    stack.push(0);
                    stack.push(n);
                }
                Instr::ForIter { exit } => {
                    let len = stack.len();
                    if len < stack_base + 2 {
                        return Err(fail!(StackUnderflow));
                    }
                    let (next, end) = (stack[len - 2], stack[len - 1]);
                    if next < end {
                        stack[len - 2] = next + 1;
                        stack.push(next);
                    } else {
                        stack.truncate(len - 2);
                        pc = exit as usize;
                    }
                }
                Instr::JumpBackward { target } => pc = target as usize,
                Instr::PopTop => {
                    pop!();
                }
                Instr::LockAcquire(l) => self.acquire(&locks[usize::from(l)]),
                Instr::LockRelease(l) => {
                    locks[usize::from(l)]
                        .release()
                        .map_err(|_| fail!(ReleaseUnlocked))?;
                }
                Instr::ReturnValue => {
                    let value = pop!();
                    stack.truncate(stack_base);
                    locals.truncate(locals_base);
                    match frames.pop() {
                        None => return Ok(value),
                        Some(caller) => {
                            function = caller.function;
                            code = &functions[function].code;
                            pc = caller.pc;
                            locals_base = caller.locals_base;
                            stack_base = caller.stack_base;
                            stack.push(value);
                        }
                    }
                }
            }
        }
    }
}
