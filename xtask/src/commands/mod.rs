//! One module per runner command, each with a `run`; `main` dispatches to them. What
//! several commands share lives outside this folder (`learner`, `run`, `render`), so
//! no command reaches into another, except `verify` building the book as `book` does.

pub mod bench;
pub mod book;
pub mod check;
pub mod compare_python;
pub mod hint;
pub mod list;
pub mod mutants;
pub mod pictures;
pub mod reset;
pub mod seal;
pub mod solution;
pub mod status;
pub mod trace;
pub mod verify;
pub mod watch;
