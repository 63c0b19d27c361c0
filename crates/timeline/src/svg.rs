//! The picture: a title, a text alternative, lanes, a time axis in milliseconds and a
//! legend, rendered as one self-contained SVG string (no script, no external font or CSS).

use std::fmt::Write as _;

use crate::lane::{Lane, MarkerKind, State, clip};
use crate::palette::{BACKGROUND, FONT, FRAME, GRID, INK, LANE_BACKGROUND, MARKER, MUTED, escape, num};

/// Width of every picture, in pixels: about the width of mdBook's text column.
const WIDTH: f64 = 800.0;
/// Where the plot starts (lane labels sit to its left) and ends.
const PLOT_LEFT: f64 = 136.0;
const PLOT_RIGHT: f64 = WIDTH - 24.0;
const LANE_HEIGHT: f64 = 24.0;
/// Room between lanes; the drop-request markers sit in it.
const LANE_GAP: f64 = 14.0;
/// The narrowest a span is drawn, in pixels, so that a span of a few microseconds
/// still shows (at 40 ms across, one pixel is about 60 µs).
const MIN_SPAN_WIDTH: f64 = 1.5;

/// Fill colour of a state: the Okabe-Ito palette, told apart by people with the common
/// colour-vision deficiencies; the states also differ in height.
fn fill(state: State) -> &'static str {
    match state {
        State::HoldingGil => "#0072b2",
        State::WaitingForGil => "#e69f00",
        State::BlockedIo => "#009e73",
        State::Sleeping => "#8c8c8c",
        State::RunningWithoutGil => "#cc79a7",
        State::Waiting => "#d55e00",
    }
}

/// Height of a state's bar as a share of the lane: full while using a CPU, thinner while
/// not running at all.
fn height_share(state: State) -> f64 {
    match state {
        State::HoldingGil | State::RunningWithoutGil => 1.0,
        State::BlockedIo | State::Sleeping => 0.6,
        State::WaitingForGil | State::Waiting => 0.4,
    }
}

/// A timeline picture being put together; [`Timeline::to_svg`] renders it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    title: String,
    caption: Option<String>,
    description: Option<String>,
    lanes: Vec<Lane>,
    window: Option<(u64, u64)>,
    /// Legend words that replace a state's default ones in this picture.
    labels: Vec<(State, String)>,
}

impl Timeline {
    /// An empty timeline called `title` (shown on top and as the SVG's `<title>`).
    pub fn new(title: impl Into<String>) -> Timeline {
        Timeline {
            title: title.into(),
            caption: None,
            description: None,
            lanes: Vec::new(),
            window: None,
            labels: Vec::new(),
        }
    }

    /// Names `state` with `words` in this picture's legend, text alternative and hover
    /// titles: a picture of tokio tasks or restaurant waiters has no GIL, so "running
    /// Python (holds the GIL)" would mislead there.
    #[must_use]
    pub fn label(mut self, state: State, words: impl Into<String>) -> Timeline {
        self.labels.retain(|(s, _)| *s != state);
        self.labels.push((state, words.into()));
        self
    }

    /// The words this picture uses for `state`.
    pub fn label_of(&self, state: State) -> &str {
        self.labels
            .iter()
            .find(|(s, _)| *s == state)
            .map_or(state.label(), |(_, words)| words.as_str())
    }

    /// A line shown under the title, such as the measured facts.
    #[must_use]
    pub fn caption(mut self, caption: impl Into<String>) -> Timeline {
        self.caption = Some(caption.into());
        self
    }

    /// The opening of the text alternative (`<desc>`); the time each lane spent in each
    /// state is added after it.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Timeline {
        self.description = Some(description.into());
        self
    }

    /// Adds a lane below the others.
    #[must_use]
    pub fn lane(mut self, lane: Lane) -> Timeline {
        self.lanes.push(lane);
        self
    }

    /// Adds lanes below the others, in order.
    #[must_use]
    pub fn lanes(mut self, lanes: impl IntoIterator<Item = Lane>) -> Timeline {
        self.lanes.extend(lanes);
        self
    }

    /// Shows only `start_ns..end_ns` (the axis then starts at 0 ms there); by default the
    /// window runs from the earliest to the latest span or marker.
    ///
    /// # Panics
    /// If the window is empty.
    #[must_use]
    pub fn window(mut self, start_ns: u64, end_ns: u64) -> Timeline {
        assert!(
            start_ns < end_ns,
            "a timeline window must not be empty ({start_ns}..{end_ns} ns)"
        );
        self.window = Some((start_ns, end_ns));
        self
    }

    /// The lanes, in drawing order.
    pub fn lane_list(&self) -> &[Lane] {
        &self.lanes
    }

    /// The time shown: the window, or everything drawn.
    pub fn shown(&self) -> (u64, u64) {
        if let Some(window) = self.window {
            return window;
        }
        let starts = self.lanes.iter().flat_map(|l| {
            l.spans()
                .iter()
                .map(|s| s.start_ns)
                .chain(l.markers().iter().map(|m| m.at_ns))
        });
        let ends = self.lanes.iter().flat_map(|l| {
            l.spans()
                .iter()
                .map(|s| s.end_ns)
                .chain(l.markers().iter().map(|m| m.at_ns))
        });
        let start = starts.min().unwrap_or(0);
        let end = ends.max().unwrap_or(0).max(start + 1);
        (start, end)
    }

    /// The text alternative: the description, then for each lane the time it spent in each
    /// state inside the window.
    pub fn text_alternative(&self) -> String {
        let window = self.shown();
        let mut text = self
            .description
            .clone()
            .unwrap_or_else(|| self.title.clone());
        if !text.ends_with('.') {
            text.push('.');
        }
        let _ = write!(text, " Time shown: {} ms.", ms(window.1 - window.0));
        for lane in &self.lanes {
            let parts: Vec<String> = State::ALL
                .iter()
                .filter_map(|&state| {
                    let t = lane.time_in(state, window);
                    (t > 0).then(|| format!("{} {} ms", self.label_of(state), ms(t)))
                })
                .collect();
            let requests = lane
                .markers()
                .iter()
                .filter(|m| {
                    m.kind == MarkerKind::DropRequest && (window.0..=window.1).contains(&m.at_ns)
                })
                .count();
            let _ = write!(
                text,
                " {}: {}",
                lane.label(),
                if parts.is_empty() {
                    "nothing".to_string()
                } else {
                    parts.join(", ")
                }
            );
            if requests > 0 {
                let _ = write!(
                    text,
                    ", {requests} drop request{}",
                    if requests == 1 { "" } else { "s" }
                );
            }
            text.push('.');
        }
        text
    }

    /// The picture as a self-contained SVG document, 800 px wide. Every span carries a
    /// `<title>` (shown on hover when the SVG is opened on its own); a span narrower than
    /// 1.5 px is drawn 1.5 px wide so that a call of a few microseconds still shows.
    pub fn to_svg(&self) -> String {
        let window = self.shown();
        let span_ns = (window.1 - window.0) as f64;
        let x_of = |t: u64| {
            PLOT_LEFT + (t.saturating_sub(window.0)) as f64 / span_ns * (PLOT_RIGHT - PLOT_LEFT)
        };

        let title_y = 28.0;
        let caption_y = 50.0;
        let lanes_top = if self.caption.is_some() { 74.0 } else { 52.0 };
        let pitch = LANE_HEIGHT + LANE_GAP;
        let lanes_bottom = lanes_top + pitch * self.lanes.len() as f64 - LANE_GAP;
        let axis_y = lanes_bottom + 8.0;

        let used_states: Vec<State> = State::ALL
            .iter()
            .copied()
            .filter(|&s| {
                self.lanes.iter().any(|l| {
                    l.spans()
                        .iter()
                        .any(|sp| sp.state == s && clip(sp.start_ns, sp.end_ns, window).is_some())
                })
            })
            .collect();
        let used_markers = self.lanes.iter().any(|l| {
            l.markers()
                .iter()
                .any(|m| (window.0..=window.1).contains(&m.at_ns))
        });
        let mut legend: Vec<(LegendKey, &str)> = used_states
            .iter()
            .map(|&s| (LegendKey::State(s), self.label_of(s)))
            .collect();
        if used_markers {
            legend.push((LegendKey::Marker, MarkerKind::DropRequest.label()));
        }
        let legend_rows = legend_layout(&legend);
        let legend_top = axis_y + 44.0;
        let height = legend_top + 22.0 * legend_rows.len() as f64 + 6.0;

        let mut svg = String::new();
        let title_id = "timeline-title";
        let desc_id = "timeline-desc";
        let _ = writeln!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{title_id} {desc_id}\">",
            w = num(WIDTH),
            h = num(height)
        );
        let _ = writeln!(
            svg,
            "<title id=\"{title_id}\">{}</title>",
            escape(&self.title)
        );
        let _ = writeln!(
            svg,
            "<desc id=\"{desc_id}\">{}</desc>",
            escape(&self.text_alternative())
        );
        let _ = writeln!(
            svg,
            "<rect x=\"0.5\" y=\"0.5\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{BACKGROUND}\" stroke=\"{FRAME}\"/>",
            num(WIDTH - 1.0),
            num(height - 1.0)
        );
        let _ = writeln!(
            svg,
            "<text x=\"16\" y=\"{}\" {FONT} font-size=\"16\" font-weight=\"bold\" fill=\"{INK}\">{}</text>",
            num(title_y),
            escape(&self.title)
        );
        if let Some(caption) = &self.caption {
            let _ = writeln!(
                svg,
                "<text x=\"16\" y=\"{}\" {FONT} font-size=\"13\" fill=\"{MUTED}\">{}</text>",
                num(caption_y),
                escape(caption)
            );
        }

        // Grid lines at the ticks, behind the lanes.
        let ticks = ticks_ms(window.1 - window.0);
        svg.push_str("<g stroke-width=\"1\">\n");
        for &tick in &ticks {
            let x = x_of(window.0 + (tick * 1e6) as u64);
            let _ = writeln!(
                svg,
                "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{GRID}\"/>",
                num(lanes_top - 6.0),
                num(axis_y),
                x = num(x)
            );
        }
        svg.push_str("</g>\n");

        for (i, lane) in self.lanes.iter().enumerate() {
            let top = lanes_top + pitch * i as f64;
            let _ = writeln!(svg, "<g class=\"lane\">");
            let _ = writeln!(
                svg,
                "<text x=\"{}\" y=\"{}\" {FONT} font-size=\"14\" text-anchor=\"end\" fill=\"{INK}\">{}</text>",
                num(PLOT_LEFT - 10.0),
                num(top + LANE_HEIGHT / 2.0 + 5.0),
                escape(lane.label())
            );
            let _ = writeln!(
                svg,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{LANE_BACKGROUND}\"/>",
                num(PLOT_LEFT),
                num(top),
                num(PLOT_RIGHT - PLOT_LEFT),
                num(LANE_HEIGHT)
            );
            for span in lane.spans() {
                let Some((a, b)) = clip(span.start_ns, span.end_ns, window) else {
                    continue;
                };
                let x = x_of(a);
                let w = (x_of(b) - x).max(MIN_SPAN_WIDTH);
                let h = LANE_HEIGHT * height_share(span.state);
                let y = top + (LANE_HEIGHT - h) / 2.0;
                let _ = writeln!(
                    svg,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {}, {}–{} ms</title></rect>",
                    num(x),
                    num(y),
                    num(w),
                    num(h),
                    fill(span.state),
                    escape(lane.label()),
                    escape(self.label_of(span.state)),
                    ms(a - window.0),
                    ms(b - window.0)
                );
            }
            for marker in lane.markers() {
                if !(window.0..=window.1).contains(&marker.at_ns) {
                    continue;
                }
                let x = x_of(marker.at_ns);
                let _ = writeln!(
                    svg,
                    "<path d=\"M{} {} l-5 -8 h10 z\" fill=\"{MARKER}\"><title>{}: drop request at {} ms</title></path>",
                    num(x),
                    num(top - 1.0),
                    escape(lane.label()),
                    ms(marker.at_ns - window.0)
                );
            }
            svg.push_str("</g>\n");
        }

        // The time axis, in milliseconds from the start of the window.
        let _ = writeln!(
            svg,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{INK}\" stroke-width=\"1\"/>",
            num(PLOT_LEFT),
            num(PLOT_RIGHT),
            y = num(axis_y)
        );
        for &tick in &ticks {
            let x = x_of(window.0 + (tick * 1e6) as u64);
            let _ = writeln!(
                svg,
                "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{INK}\" stroke-width=\"1\"/>",
                num(axis_y),
                num(axis_y + 5.0),
                x = num(x)
            );
            let _ = writeln!(
                svg,
                "<text x=\"{}\" y=\"{}\" {FONT} font-size=\"13\" text-anchor=\"middle\" fill=\"{INK}\">{}</text>",
                num(x),
                num(axis_y + 19.0),
                tick_label(tick)
            );
        }
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" {FONT} font-size=\"13\" text-anchor=\"end\" fill=\"{MUTED}\">time (ms)</text>",
            num(PLOT_LEFT - 10.0),
            num(axis_y + 19.0)
        );

        svg.push_str("<g class=\"legend\">\n");
        for (row, items) in legend_rows.iter().enumerate() {
            let y = legend_top + 22.0 * row as f64;
            for &(x, key, label) in items {
                match key {
                    LegendKey::State(state) => {
                        let h = 14.0 * height_share(state).max(0.5);
                        let _ = writeln!(
                            svg,
                            "<rect x=\"{}\" y=\"{}\" width=\"16\" height=\"{}\" fill=\"{}\"/>",
                            num(x),
                            num(y - 11.0 + (14.0 - h) / 2.0),
                            num(h),
                            fill(state)
                        );
                    }
                    LegendKey::Marker => {
                        let _ = writeln!(
                            svg,
                            "<path d=\"M{} {} l-5 -8 h10 z\" fill=\"{MARKER}\"/>",
                            num(x + 8.0),
                            num(y)
                        );
                    }
                }
                let _ = writeln!(
                    svg,
                    "<text x=\"{}\" y=\"{}\" {FONT} font-size=\"13\" fill=\"{INK}\">{}</text>",
                    num(x + 22.0),
                    num(y),
                    escape(label)
                );
            }
        }
        svg.push_str("</g>\n</svg>\n");
        svg
    }
}

#[derive(Clone, Copy)]
enum LegendKey {
    State(State),
    Marker,
}

/// Places legend entries left to right, wrapping before the right edge: rows of
/// (x, key, label).
fn legend_layout<'l>(entries: &[(LegendKey, &'l str)]) -> Vec<Vec<(f64, LegendKey, &'l str)>> {
    let (left, right) = (16.0, WIDTH - 16.0);
    let mut rows: Vec<Vec<(f64, LegendKey, &str)>> = vec![Vec::new()];
    let mut x = left;
    for &(key, label) in entries {
        // About 7 px per character at 13 px sans-serif, plus the swatch and a gap.
        let width = 22.0 + 7.0 * label.chars().count() as f64 + 20.0;
        if x + width > right && x > left {
            rows.push(Vec::new());
            x = left;
        }
        rows.last_mut()
            .expect("there is always a row")
            .push((x, key, label));
        x += width;
    }
    rows.retain(|r| !r.is_empty());
    rows
}

/// Tick positions in milliseconds from 0: a step of 1, 2 or 5 times a power of ten,
/// the smallest that gives at most 10 intervals.
fn ticks_ms(span_ns: u64) -> Vec<f64> {
    let span_ms = span_ns as f64 / 1e6;
    let mut step = 1e-3;
    'search: loop {
        for m in [1.0, 2.0, 5.0] {
            if span_ms / (step * m) <= 10.0 {
                step *= m;
                break 'search;
            }
        }
        step *= 10.0;
    }
    let count = (span_ms / step + 1e-9).floor() as usize;
    (0..=count).map(|i| i as f64 * step).collect()
}

fn tick_label(ms: f64) -> String {
    let rounded = (ms * 1000.0).round() / 1000.0;
    let text = format!("{rounded:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Nanoseconds as milliseconds with two decimals.
fn ms(ns: u64) -> String {
    format!("{:.2}", ns as f64 / 1e6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_use_round_steps_and_at_most_ten_intervals() {
        assert_eq!(
            ticks_ms(40_000_000),
            vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0]
        );
        assert_eq!(ticks_ms(10_000_000).len(), 11);
        assert_eq!(ticks_ms(3_000_000), vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]);
        assert_eq!(tick_label(0.5), "0.5");
        assert_eq!(tick_label(35.0), "35");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
