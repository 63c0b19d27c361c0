//! Exercise 04: the GIL.
//!
//! You write CPython's global interpreter lock, the one in `Python/ceval_gil.c`, as a
//! type of your own, [`MyGil`] (in `my_gil.rs`), that implements the model's [`Gil`]
//! trait. The checks plug it into the model's interpreter, run Python threads on it
//! (CPU-bound loops, blocking calls) and watch it from the outside.
//!
//! How the interpreter uses your GIL:
//! - a Python thread calls `take_gil` when it starts, after every blocking call, and
//!   right after it answered a drop request;
//! - it calls `drop_gil` around every blocking call (`py.blocking(..)`, `py.sleep(..)`),
//!   when it ends, and at a check point (the back-edge of a loop) that finds the drop
//!   request set;
//! - it never calls `take_gil` twice without a `drop_gil` in between, and only the
//!   holder calls `drop_gil`.
//!
//! `cargo xtask check 04` takes you through it in steps: the small methods first, then
//! one holder at a time, then the drop request, then forced switching. The chapter's
//! pages *How CPython hands the GIL over* and *Building it in Rust* are where to read.

// Stub code names things it does not use yet; the warnings would hide your own.
#![allow(unused_variables, unused_mut, unused_imports, dead_code)]

pub use python_model::Gil;

mod my_gil;
pub use my_gil::MyGil;
