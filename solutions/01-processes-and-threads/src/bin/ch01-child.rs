//! The child program of exercise 01: a separate OS process that answers its
//! parent's requests, one line in on stdin, one line out on stdout, until the
//! parent closes the pipe. Its loop is `serve` in `src/lib.rs`.

use std::io;
use std::process::ExitCode;

fn main() -> ExitCode {
    match processes_and_threads::serve(io::stdin().lock(), io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ch01-child: {err}");
            ExitCode::FAILURE
        }
    }
}
