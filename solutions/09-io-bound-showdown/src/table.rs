//! The notes' technique table, with the showdown's measured numbers in it.

use std::fmt::Write;

use crate::{Row, Technique};

/// The notes' three columns for `technique`: best for, uses several cores, GIL bypassed.
fn facts(technique: Technique) -> [&'static str; 3] {
    match technique {
        Technique::Sequential => ["a handful of requests", "no", "no"],
        Technique::Threading => ["I/O-bound work", "no", "no: released while waiting"],
        Technique::Multiprocessing => ["CPU-bound work", "yes", "yes: one GIL per process"],
        Technique::Asyncio => ["many waits at once", "no", "no need: one thread"],
    }
}

/// The notes' technique table with the measured columns of `rows` (see the exercise's
/// doc comment for the exact layout).
pub fn technique_table(rows: &[Row]) -> String {
    let baseline = rows
        .iter()
        .find(|r| r.technique == Technique::Sequential)
        .map_or(0.0, |r| r.wall.as_secs_f64());
    let pages = rows.first().map_or(0, |r| r.pages);
    let mut table = format!(
        "| technique | best for | several cores | GIL bypassed | {pages} pages | speed-up | at once |\n\
         |---|---|---|---|---|---|---|\n"
    );
    for row in rows {
        let name = match row.technique {
            Technique::Sequential => "sequential".to_string(),
            Technique::Threading => format!("threading, {} threads", row.workers),
            Technique::Multiprocessing => format!("multiprocessing, {} processes", row.workers),
            Technique::Asyncio => format!("asyncio, {} tasks", row.workers),
        };
        let [best_for, cores, gil] = facts(row.technique);
        let wall = row.wall.as_secs_f64();
        let _ = writeln!(
            table,
            "| {name} | {best_for} | {cores} | {gil} | {:.0} ms | {:.1}x | {} |",
            wall * 1e3,
            baseline / wall,
            row.peak_in_flight
        );
    }
    table
}
