//! The terminal: colour only on a terminal and never with `NO_COLOR` (no-color.org),
//! and text measured without its colour codes.

use std::io::IsTerminal;

/// Colour when stdout is a terminal and `NO_COLOR` is unset or empty.
pub fn color_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

fn paint(code: &str, text: &str) -> String {
    if color_enabled() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Bold text, for headings.
pub fn bold(text: &str) -> String {
    paint("1", text)
}

/// Green text, for good news.
pub fn green(text: &str) -> String {
    paint("32", text)
}

/// Red text, for failures.
pub fn red(text: &str) -> String {
    paint("31", text)
}

/// Yellow text, for things neither passed nor failed.
pub fn yellow(text: &str) -> String {
    paint("33", text)
}

/// Dim text, for what is named but not shown in full.
pub fn dim(text: &str) -> String {
    paint("2", text)
}

/// The text without its terminal colour codes.
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_escape = false;
    for c in s.chars() {
        match (in_escape, c) {
            (false, '\u{1b}') => in_escape = true,
            (true, c) if c.is_ascii_alphabetic() => in_escape = false,
            (true, _) => {}
            (false, c) => out.push(c),
        }
    }
    out
}

/// `text` padded with spaces to `width` columns (colour codes take none).
pub fn pad(text: &str, width: usize) -> String {
    let shown = strip_ansi(text).chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(shown)))
}

/// `[3/14]`, and on a terminal `[███░░░░░░░] 3/14`: ten cells, so it fits 80 columns.
pub fn progress_bar(done: usize, total: usize) -> String {
    if !color_enabled() {
        return format!("[{done}/{total}]");
    }
    let filled = (done * 10).div_ceil(total.max(1)).min(10);
    format!("[{}{}] {done}/{total}", "█".repeat(filled), "░".repeat(10 - filled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_ignores_colour_codes() {
        assert_eq!(pad("\x1b[32mok\x1b[0m", 4), "\x1b[32mok\x1b[0m  ");
        assert_eq!(strip_ansi("\x1b[1mbold\x1b[0m"), "bold");
    }
}
