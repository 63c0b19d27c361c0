//! The both-directions proof over every real exercise: `cargo xtask verify`, the
//! same pipeline learners run. Every check must fail on the untouched stub and pass
//! on the solution, and the book must build. It runs without libtest's capture so
//! `cargo test` shows what each direction proved.

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let root = env!("CARGO_MANIFEST_DIR");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    println!("running `cargo xtask verify` (every stub fails every check, every solution passes)");
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["run", "--quiet", "--package", "xtask", "--", "verify"])
        .env("NO_COLOR", "1")
        .status();
    match status {
        Ok(s) if s.success() => {
            println!("test result: ok. 1 passed; 0 failed (cargo xtask verify)");
            ExitCode::SUCCESS
        }
        Ok(s) => {
            println!("test result: FAILED. 0 passed; 1 failed (cargo xtask verify exited with {s})");
            ExitCode::FAILURE
        }
        Err(e) => {
            println!("test result: FAILED. 0 passed; 1 failed (could not start cargo: {e})");
            ExitCode::FAILURE
        }
    }
}
