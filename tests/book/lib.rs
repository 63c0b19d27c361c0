//! The book's Rust blocks, compiled as doctests (filled in by the book tooling).
