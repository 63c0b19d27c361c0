//! The notes' technique table, built from cells.

use crate::{Row, Technique};

/// One line of cells between `|`.
fn line(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

/// The notes' technique table with the measured columns of `rows`.
pub fn technique_table(rows: &[Row]) -> String {
    let sequential = rows.iter().filter(|r| r.technique == Technique::Sequential).map(|r| r.wall).next();
    let pages = rows.first().map_or(0, |r| r.pages);
    let header = ["technique", "best for", "several cores", "GIL bypassed", &format!("{pages} pages"), "speed-up", "at once"];
    let mut table = line(&header.map(String::from));
    table.push_str("|---|---|---|---|---|---|---|\n");
    for row in rows {
        let (name, best, cores, gil) = match row.technique {
            Technique::Sequential => ("sequential".to_string(), "a handful of requests", "no", "no"),
            Technique::Threading => (format!("threading, {} threads", row.workers), "I/O-bound work", "no", "no: released while waiting"),
            Technique::Multiprocessing => {
                (format!("multiprocessing, {} processes", row.workers), "CPU-bound work", "yes", "yes: one GIL per process")
            }
            Technique::Asyncio => (format!("asyncio, {} tasks", row.workers), "many waits at once", "no", "no need: one thread"),
        };
        let speedup = sequential.map_or(0.0, |s| s.as_secs_f64() / row.wall.as_secs_f64());
        table.push_str(&line(&[
            name,
            best.into(),
            cores.into(),
            gil.into(),
            format!("{} ms", (row.wall.as_secs_f64() * 1e3).round()),
            format!("{speedup:.1}x"),
            row.peak_in_flight.to_string(),
        ]));
    }
    table
}
