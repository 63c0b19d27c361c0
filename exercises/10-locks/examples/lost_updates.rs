//! Given: where the course's model of CPython loses updates. Four ways to add 1 to a
//! global on two threads, on CPython 3.10+'s check points and on 3.9's, with the
//! prediction of your `can_lose_updates` beside what the model measured, and the same
//! with your `with_lock`. Run it once those pass:
//!
//! `cargo run -q --release -p ex10-locks --example lost_updates`
//!
//! (the same sizes as `cargo xtask compare-python`: 2 threads x 10^6, median of 5 runs,
//! the default 5 ms switch interval).

use locks::{can_lose_updates, programs, with_lock};
use python_model::workloads::lost_updates;
use python_model::{CheckPoints, Interpreter, Program};

const PER_THREAD: i64 = 1_000_000;
const RUNS: usize = 5;

fn median_lost(program: &Program, entry: &str, check_points: CheckPoints) -> f64 {
    let interp = Interpreter::builder().check_points(check_points).build();
    let mut lost: Vec<f64> = (0..RUNS)
        .map(|_| {
            lost_updates(&interp, program, entry, 2, PER_THREAD)
                .expect("the program runs")
                .lost_fraction()
        })
        .collect();
    lost.sort_by(f64::total_cmp);
    lost[RUNS / 2]
}

fn main() {
    let forms = [
        ("counter += 1", "add_in_place", Program::add_in_place()),
        (
            "counter = counter + one()",
            "add_with_call",
            Program::add_with_call(),
        ),
        (
            "counter = one() + counter",
            "call_first",
            programs::call_first(),
        ),
        (
            "x = counter; one(); counter = x + 1",
            "read_call_write",
            programs::read_call_write(),
        ),
    ];
    println!(
        "model, 2 threads x {PER_THREAD} increments, median of {RUNS} runs: predicted / measured share lost"
    );
    println!(
        "{:<36} | {:<22} | {:<22} | with_lock, 3.10+",
        "statement", "3.10+ check points", "3.9 check points"
    );
    println!("{:-<36}-|-{:-<22}-|-{:-<22}-|-{:-<16}", "", "", "", "");
    for (statement, entry, program) in forms {
        let cell = |check_points| {
            let predicted = if can_lose_updates(&program, check_points) {
                "can lose"
            } else {
                "none lost"
            };
            let lost = median_lost(&program, entry, check_points);
            format!("{predicted} / {:.1}%", lost * 100.0)
        };
        let new = cell(CheckPoints::BackEdgesAndCalls);
        let old = cell(CheckPoints::EveryInstruction);
        let locked = median_lost(&with_lock(&program), entry, CheckPoints::BackEdgesAndCalls);
        println!(
            "{statement:<36} | {new:<22} | {old:<22} | {:.1}%",
            locked * 100.0
        );
    }
}
