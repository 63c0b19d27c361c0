//! The notes' table with the measured rows.

use crate::measure::{Costs, NOTES, format_duration, ratio};

/// The notes' table as Markdown, with measured rows after `creation` and after
/// `communication`, then the ratios between them.
pub fn render_table(costs: &Costs) -> String {
    let mut table = String::from("| | process | thread |\n|---|---|---|\n");
    for (feature, process, thread) in NOTES {
        table += &format!("| {feature} | {process} | {thread} |\n");
        if feature == "creation" {
            let (p, t) = (
                format_duration(costs.process_creation),
                format_duration(costs.thread_creation),
            );
            table += &format!("| creation, measured | {p} each | {t} each |\n");
        }
        if feature == "communication" {
            let (p, t) = (
                format_duration(costs.pipe_round_trip),
                format_duration(costs.channel_round_trip),
            );
            table += &format!("| round trip, measured | {p} over a pipe | {t} over a channel |\n");
            let shared = format_duration(costs.shared_update);
            table += &format!(
                "| shared update, measured | none: nothing is shared | {shared} under a lock |\n"
            );
        }
    }
    let creation = ratio(costs.process_creation, costs.thread_creation);
    let channel = ratio(costs.pipe_round_trip, costs.channel_round_trip);
    let shared = ratio(costs.pipe_round_trip, costs.shared_update);
    table += &format!(
        "\ncreating a process cost {creation:.1}x creating a thread; a pipe round trip \
         cost {channel:.1}x a channel round trip and {shared:.1}x a shared update.\n"
    );
    table
}
