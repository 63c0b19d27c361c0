//! The protocol between a check and the runner. The constants are the timing crate's,
//! which every check prints through; the runner reads them here and never retypes them.

pub use timing::{ANNOUNCE_MEASURING, INCONCLUSIVE, MEASURED, REPORT_PREFIX};

/// The `report:` lines of a check's output, without the prefix, in order. libtest's
/// `test NAME ... ` can land on the same line as a check's first print, so the prefix
/// is looked for anywhere in a line.
pub fn reports(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|l| l.find(REPORT_PREFIX).map(|at| l[at + REPORT_PREFIX.len()..].to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_after_libtests_own_words_is_found() {
        let out = format!("test speed ... {REPORT_PREFIX}a 1 s, b 2 s: passed\nok\n{REPORT_PREFIX}second\n");
        assert_eq!(reports(&out), ["a 1 s, b 2 s: passed", "second"]);
    }
}
