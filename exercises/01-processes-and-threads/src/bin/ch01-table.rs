//! Prints the process-vs-thread table of chapter 01 with costs measured on this
//! machine: `cargo run -q -p ex01-processes-and-threads --bin ch01-table`.
//!
//! The child processes it measures are this same program started again with
//! `--child`, which then behaves like `ch01-child` (its loop is `serve`).

use std::io;
use std::process::{Command, ExitCode};
use std::thread;

use processes_and_threads::{measure_costs, render_table, serve};

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("--child") {
        return match serve(io::stdin().lock(), io::stdout().lock()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("ch01-table --child: {err}");
                ExitCode::FAILURE
            }
        };
    }
    let me = match std::env::current_exe() {
        Ok(path) => path,
        Err(err) => {
            eprintln!("ch01-table: cannot find its own executable to start as the child: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut child = Command::new(me);
    child.arg("--child");
    match measure_costs(&mut child) {
        Ok(costs) => {
            print!("{}", render_table(&costs));
            let cores = thread::available_parallelism().map_or(1, |n| n.get());
            println!("(measured on {cores} cores; each figure is the fastest of 5 runs)");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("ch01-table: measuring failed: {err}");
            ExitCode::FAILURE
        }
    }
}
