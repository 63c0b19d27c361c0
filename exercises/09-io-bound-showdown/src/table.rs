//! The notes' technique table, with the showdown's measured numbers in it.

use std::fmt::Write;

use crate::{Row, Technique};

/// The notes' technique table with the measured columns of `rows`: a Markdown table, a
/// header line, a separator line, then one line per row in the order given, each line
/// ending in a newline. For the rows of the default showdown it reads (your numbers
/// will differ):
///
/// ```text
/// | technique | best for | several cores | GIL bypassed | 20 pages | speed-up | at once |
/// |---|---|---|---|---|---|---|
/// | sequential | a handful of requests | no | no | 1031 ms | 1.0x | 1 |
/// | threading, 10 threads | I/O-bound work | no | no: released while waiting | 105 ms | 9.8x | 10 |
/// | multiprocessing, 10 processes | CPU-bound work | yes | yes: one GIL per process | 109 ms | 9.4x | 10 |
/// | asyncio, 20 tasks | many waits at once | no | no need: one thread | 53 ms | 19.4x | 20 |
/// ```
///
/// - the header's `20 pages` is the first row's `pages`;
/// - the technique cell names the row's `workers`: `threading, {workers} threads`,
///   `multiprocessing, {workers} processes`, `asyncio, {workers} tasks`, and plain
///   `sequential`;
/// - the next three cells are the notes' columns (the page explains each answer, and
///   where this table and the notes' differ);
/// - then the row's `wall` in whole milliseconds (`{:.0} ms`), its speed-up (the
///   sequential row's wall time over this row's, `{:.1}x`; the sequential row may stand
///   anywhere in `rows`), and its `peak_in_flight`.
///
/// Read: chapter 09, "What we measured" (the notes' table, and where ours differs), and
/// `std::fmt::Write` (`writeln!` into a `String`).
pub fn technique_table(rows: &[Row]) -> String {
    // TODO: the header, the separator, then one line per row, each cell as the doc
    // comment says. The speed-up compares with the sequential row, wherever it stands.
    todo!()
}
