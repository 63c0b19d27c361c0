//! The book's pages as doctests: `build.rs` writes one module per page of `src/`
//! with its includes expanded, so `cargo test` compiles every Rust block the
//! reader sees, and proves every `compile_fail` block fails to compile.

// A page shows whole programs, `fn main` included, so a reader can paste one and run it.
#![allow(clippy::needless_doctest_main)]

include!(concat!(env!("OUT_DIR"), "/pages.rs"));
