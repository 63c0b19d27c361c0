//! How figures are written for a person: durations, ratios, the `report:` line.

use std::time::Duration;

/// The prefix the runner looks for on stdout.
pub const REPORT_PREFIX: &str = "report: ";

/// Prints one line the runner shows under the check's verdict, pass or fail:
/// `timing::report!("{n} pages in {ms} ms")` prints `report: 20 pages in 53 ms`. Every
/// check prints its figures this way, so the prefix is written once ([`REPORT_PREFIX`]).
#[macro_export]
macro_rules! report {
    ($($arg:tt)*) => {
        ::std::println!("{}{}", $crate::REPORT_PREFIX, ::std::format_args!($($arg)*))
    };
}

/// A duration with three significant digits in a unit a person reads at a glance:
/// `1.23 s`, `212 ms`, `12.3 ms`, `0.41 ms`, `3.20 µs`.
pub(crate) fn duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1e3)
    } else if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else if ms >= 0.01 {
        format!("{ms:.2} ms")
    } else {
        format!("{:.2} µs", ms * 1e3)
    }
}

/// A measured ratio with three significant digits and an `x`: `30.0x`, `1.95x`, `312x`.
pub(crate) fn ratio(r: f64) -> String {
    if !r.is_finite() {
        return "∞x".to_string();
    }
    if r >= 100.0 {
        format!("{r:.0}x")
    } else if r >= 10.0 {
        format!("{r:.1}x")
    } else {
        format!("{r:.2}x")
    }
}

/// A required factor as the check wrote it: `5x`, `1.5x`, `1.25x`.
pub(crate) fn factor(f: f64) -> String {
    format!("{f}x")
}

/// Free cores as probed: `1.93`.
pub(crate) fn cores(c: f64) -> String {
    format!("{c:.2}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_keep_three_significant_digits() {
        assert_eq!(duration(Duration::from_micros(410)), "0.41 ms");
        assert_eq!(duration(Duration::from_micros(12_300)), "12.3 ms");
        assert_eq!(duration(Duration::from_micros(212_400)), "212 ms");
        assert_eq!(duration(Duration::from_millis(1234)), "1.23 s");
        assert_eq!(duration(Duration::from_nanos(3_204)), "3.20 µs");
    }

    #[test]
    fn ratios_keep_three_significant_digits() {
        assert_eq!(ratio(30.04), "30.0x");
        assert_eq!(ratio(1.949), "1.95x");
        assert_eq!(ratio(312.4), "312x");
        assert_eq!(ratio(f64::INFINITY), "∞x");
        assert_eq!(factor(5.0), "5x");
        assert_eq!(factor(1.25), "1.25x");
    }
}
