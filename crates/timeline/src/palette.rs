//! What every picture of the course shares: its colours (dark ink on a light
//! background of the picture's own, so it reads the same in mdBook's light and dark
//! themes; data colours from the Okabe-Ito palette, which people with the common
//! colour-vision deficiencies tell apart) and how text and numbers are written.

/// The font attribute of every text.
pub(crate) const FONT: &str = "font-family=\"sans-serif\"";
/// Text and lines.
pub(crate) const INK: &str = "#1f2328";
/// Secondary text, axes, lines for comparison.
pub(crate) const MUTED: &str = "#57606a";
/// The picture's own background and its frame.
pub(crate) const BACKGROUND: &str = "#ffffff";
pub(crate) const FRAME: &str = "#d0d7de";
/// A lane's background and the grid.
pub(crate) const LANE_BACKGROUND: &str = "#f3f5f7";
pub(crate) const GRID: &str = "#dde3e8";
/// Instant markers (a drop request).
pub(crate) const MARKER: &str = "#b31d28";
/// Okabe-Ito blue: the main data of a chart.
pub(crate) const BLUE: &str = "#0072b2";
/// Okabe-Ito vermillion: what was measured.
pub(crate) const VERMILLION: &str = "#d55e00";

/// A coordinate with at most one decimal.
pub(crate) fn num(x: f64) -> String {
    let text = format!("{x:.1}");
    text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}

/// Text safe inside an element or an attribute.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
