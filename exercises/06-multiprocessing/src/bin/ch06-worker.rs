//! The worker program of exercise 06: one worker process of the pool. It reads jobs on
//! stdin and writes replies on stdout, one JSON line each, until the pool closes its
//! stdin or kills it. Its loop is `serve` in `src/worker.rs`.

use std::io;
use std::process::ExitCode;

fn main() -> ExitCode {
    match multiprocessing::serve(io::stdin().lock(), io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ch06-worker: {err}");
            ExitCode::FAILURE
        }
    }
}
