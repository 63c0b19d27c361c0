//! The bytecode: where the check points fall decides whether a read-modify-write of a
//! global loses updates, exactly as in CPython 3.10+ (and 3.9 for contrast).

mod common;

use std::time::Duration;

use common::serial;
use python_model::workloads::lost_updates;
use python_model::{CheckPoints, EvalError, Function, Instr, Interpreter, Program};

const PER_THREAD: i64 = 1_000_000;

/// Races of two threads running `entry` at once, `PER_THREAD` increments each, repeated
/// until the threads have switched `switches` times in all (a busy machine switches less
/// per race) or 30 races ran. Returns each race's share of lost updates and the switches.
fn races(
    interp: &Interpreter,
    program: &Program,
    entry: &str,
    switches: usize,
) -> (Vec<f64>, usize) {
    races_of(interp, program, entry, PER_THREAD, switches)
}

fn races_of(
    interp: &Interpreter,
    program: &Program,
    entry: &str,
    per_thread: i64,
    switches: usize,
) -> (Vec<f64>, usize) {
    let tracer = interp
        .tracer()
        .expect("the races need a trace to count switches")
        .clone();
    let mut lost = Vec::new();
    let mut switched = 0;
    while switched < switches && lost.len() < 30 {
        tracer.clear_events();
        let result = lost_updates(interp, program, entry, 2, per_thread).expect("the program runs");
        lost.push(result.lost_fraction());
        switched += tracer.log().handoffs().len();
    }
    (lost, switched)
}

#[test]
fn counter_plus_equals_one_loses_no_update_on_cpython_3_10_and_later() {
    let _serial = serial();
    // A short interval makes many switches: each one is a chance to lose an update.
    let interp = Interpreter::builder()
        .switch_interval(Duration::from_micros(200))
        .trace(true)
        .build();
    let (lost, switches) = races(&interp, &Program::add_in_place(), "add_in_place", 50);
    assert!(
        switches >= 50,
        "the threads switched only {switches} times: nothing was tested"
    );
    assert!(
        lost.iter().all(|&l| l == 0.0),
        "`counter += 1` lost updates over {switches} switches: {lost:?}"
    );
}

#[test]
fn counter_plus_a_call_loses_updates_because_the_call_is_a_check_point() {
    let _serial = serial();
    // 1 ms gives about 50 switches per race on an idle machine, so the share lost is
    // stable (about 30% here; CPython 3.11 loses 20-40%). The bounds rule out only
    // "never" and "almost always", which a busy machine cannot cause.
    let interp = Interpreter::builder()
        .switch_interval(Duration::from_millis(1))
        .trace(true)
        .build();
    let (mut lost, switches) = races(&interp, &Program::add_with_call(), "add_with_call", 40);
    assert!(
        switches >= 40,
        "the threads switched only {switches} times: nothing was tested"
    );
    lost.sort_by(f64::total_cmp);
    let median = lost[lost.len() / 2];
    assert!(
        (0.05..=0.6).contains(&median),
        "`counter = counter + one()` lost {:.1}% of its updates (median of {lost:?}); expected 20-40% as in CPython 3.11",
        median * 100.0
    );
}

#[test]
fn counter_plus_equals_one_loses_updates_when_every_instruction_is_a_check_point() {
    let _serial = serial();
    let interp = Interpreter::builder()
        .check_points(CheckPoints::EveryInstruction)
        .switch_interval(Duration::from_micros(200))
        .trace(true)
        .build();
    let (lost, switches) = races(&interp, &Program::add_in_place(), "add_in_place", 50);
    assert!(
        lost.iter().any(|&l| l > 0.0),
        "with a check point before every instruction (CPython 3.9) updates are lost; none over {switches} switches"
    );
}

#[test]
fn a_lock_around_the_read_modify_write_loses_no_update() {
    let _serial = serial();
    let interp = Interpreter::builder()
        .switch_interval(Duration::from_millis(1))
        .trace(true)
        .build();
    // The thread holding the lock mostly keeps it (it takes the lock again before the
    // waiter wakes up, as in CPython), so a race switches only a few times.
    let (lost, switches) = races_of(
        &interp,
        &Program::add_with_call_locked(),
        "add_with_call_locked",
        100_000,
        5,
    );
    assert!(
        switches >= 5,
        "the threads switched only {switches} times: nothing was tested"
    );
    assert!(
        lost.iter().all(|&l| l == 0.0),
        "updates were lost under the lock: {lost:?}"
    );
    assert!(
        !interp.lock("lock").is_locked(),
        "the lock is free again at the end"
    );
}

#[test]
fn releasing_an_unlocked_lock_is_an_error() {
    let interp = Interpreter::new();
    let program = Program::new(
        "lock.release()",
        vec![],
        vec!["lock".into()],
        vec![Function {
            name: "f".into(),
            params: 0,
            locals: vec![],
            code: vec![
                Instr::Resume,
                Instr::LockRelease(0),
                Instr::LoadConst(0),
                Instr::ReturnValue,
            ],
        }],
    )
    .expect("indices are fine");
    let result = interp.run("main", |py| py.call(&program, "f", &[]));
    assert!(
        matches!(result, Err(EvalError::ReleaseUnlocked { .. })),
        "{result:?}"
    );
}

#[test]
fn a_single_thread_counts_exactly() {
    let interp = Interpreter::new();
    interp.globals().set("counter", 0);
    let program = Program::add_with_call();
    let result = interp.run("main", |py| py.call(&program, "add_with_call", &[1_000]));
    assert_eq!(result, Ok(0), "the function returns None (0)");
    assert_eq!(interp.globals().get("counter"), Some(1_000));
}

#[test]
fn the_disassembly_marks_the_check_points() {
    let listing = Program::add_with_call().to_string();
    assert!(listing.contains("counter = counter + one()"), "{listing}");
    assert!(listing.contains(" *   0 RESUME"), "{listing}");
    assert!(listing.contains(" *   9 JUMP_BACKWARD  to 3"), "{listing}");
    assert!(
        listing.contains("     6 CALL           one (0 args)"),
        "{listing}"
    );
}

#[test]
fn a_program_with_a_forward_jump_backward_is_refused() {
    let f = Function {
        name: "f".into(),
        params: 0,
        locals: vec![],
        code: vec![Instr::Resume, Instr::JumpBackward { target: 1 }],
    };
    let err = Program::new("", vec![], vec![], vec![f]).expect_err("not a backward jump");
    assert!(err.to_string().contains("not backward"), "{err}");
}

#[test]
fn a_call_with_the_wrong_argument_count_is_refused() {
    let one = Function {
        name: "one".into(),
        params: 0,
        locals: vec![],
        code: vec![Instr::Resume, Instr::LoadConst(1), Instr::ReturnValue],
    };
    let caller = Function {
        name: "caller".into(),
        params: 0,
        locals: vec![],
        code: vec![
            Instr::Resume,
            Instr::LoadConst(5),
            Instr::Call {
                function: 0,
                argc: 1,
            },
            Instr::ReturnValue,
        ],
    };
    let err =
        Program::new("", vec![], vec![], vec![one, caller]).expect_err("one() takes no argument");
    assert!(err.to_string().contains("takes 0 arguments"), "{err}");
}

#[test]
fn running_errors_are_reported_not_panicked() {
    let interp = Interpreter::new();
    let program = Program::add_in_place();
    interp.run("main", |py| {
        assert_eq!(
            py.call(&program, "add_in_place", &[3]),
            Err(EvalError::NameError("counter".into())),
            "an unset global is a NameError"
        );
        assert!(matches!(
            py.call(&program, "nope", &[]),
            Err(EvalError::NoSuchFunction(_))
        ));
        assert!(matches!(
            py.call(&program, "add_in_place", &[]),
            Err(EvalError::WrongArgumentCount { .. })
        ));
        let underflow = Program::new(
            "",
            vec![],
            vec![],
            vec![Function {
                name: "f".into(),
                params: 0,
                locals: vec![],
                code: vec![Instr::Resume, Instr::BinaryAdd, Instr::ReturnValue],
            }],
        )
        .expect("indices are fine");
        assert!(matches!(
            py.call(&underflow, "f", &[]),
            Err(EvalError::StackUnderflow { .. })
        ));
        let endless = Program::new(
            "",
            vec![],
            vec![],
            vec![Function {
                name: "f".into(),
                params: 0,
                locals: vec![],
                code: vec![
                    Instr::Resume,
                    Instr::Call {
                        function: 0,
                        argc: 0,
                    },
                    Instr::ReturnValue,
                ],
            }],
        )
        .expect("indices are fine");
        assert_eq!(py.call(&endless, "f", &[]), Err(EvalError::RecursionError));
    });
}
