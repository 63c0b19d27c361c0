//! The picture: a title, a text alternative, lanes, a time axis in milliseconds and a
//! legend, rendered as one self-contained SVG string (no script, no external font or CSS).

use std::fmt::Write as _;

use crate::lane::{Lane, MarkerKind, State, clip};
use crate::palette::{
    BACKGROUND, FONT, FRAME, GRID, INK, LANE_BACKGROUND, MARKER, MUTED, escape, num,
};

/// Width of every picture, in pixels: about the width of mdBook's text column.
const WIDTH: f64 = 800.0;
/// Where the plot starts (lane labels sit to its left) and ends.
const PLOT_LEFT: f64 = 136.0;
const PLOT_RIGHT: f64 = WIDTH - 24.0;
const LANE_HEIGHT: f64 = 24.0;
/// Room between lanes; the drop-request markers sit in it.
const LANE_GAP: f64 = 14.0;
/// The narrowest a span is drawn, in pixels, so that a span of a few microseconds still
/// shows (at 40 ms across, one pixel is about 60 µs). Spans of a lane never overlap when
/// drawn: a widened span pushes the next one right, so a burst of short states (take the
/// GIL, run, release it for I/O, ask for it back) shows each of them in turn, a few
/// pixels each, instead of the last one drawn hiding the others.
const MIN_SPAN_WIDTH: f64 = 2.5;

/// How a state is painted: a colour of the Okabe-Ito palette (or grey), and for two states
/// a hatch of white diagonal lines over it. States of the same height differ in hatch or in
/// a colour that people with each common colour-vision deficiency tell apart (the test
/// `states_of_the_same_height_stay_apart_for_colour_blind_readers` holds this).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Paint {
    pub(crate) colour: &'static str,
    pub(crate) hatched: bool,
}

pub(crate) fn paint(state: State) -> Paint {
    let (colour, hatched) = match state {
        State::HoldingGil => ("#0072b2", false),
        State::WaitingForGil => ("#e69f00", false),
        State::BlockedIo => ("#009e73", false),
        State::Sleeping => ("#8c8c8c", true),
        State::RunningWithoutGil => ("#cc79a7", false),
        State::Waiting => ("#56b4e9", true),
    };
    Paint { colour, hatched }
}

/// The `fill` attribute of a state: its colour, or its hatch pattern (see [`patterns`]).
fn fill(state: State) -> String {
    if paint(state).hatched {
        format!("url(#{})", pattern_id(state))
    } else {
        paint(state).colour.to_string()
    }
}

fn pattern_id(state: State) -> String {
    format!("hatch-{}", format!("{state:?}").to_lowercase())
}

/// The `<defs>` of the hatch patterns of `states` (empty when none is hatched).
fn patterns(states: &[State]) -> String {
    let hatched: Vec<State> = states
        .iter()
        .copied()
        .filter(|&s| paint(s).hatched)
        .collect();
    if hatched.is_empty() {
        return String::new();
    }
    let mut defs = String::from("<defs>\n");
    for state in hatched {
        let _ = writeln!(
            defs,
            "<pattern id=\"{}\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"5\" height=\"5\" fill=\"{}\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"5\" stroke=\"{BACKGROUND}\" stroke-width=\"2\"/></pattern>",
            pattern_id(state),
            paint(state).colour
        );
    }
    defs.push_str("</defs>\n");
    defs
}

/// Height of a state's bar as a share of the lane: full while using a CPU, thinner while
/// not running at all.
pub(crate) fn height_share(state: State) -> f64 {
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
                    (t > 0).then(|| format!("{} {}", self.label_of(state), duration_text(t)))
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
    /// 2.5 px is drawn 2.5 px wide, pushing the lane's next span right, so that every state
    /// of a burst of microseconds still shows.
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
        svg.push_str(&patterns(&used_states));
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
            // Where the last span drawn on this lane ended: a widened span pushes the next.
            let mut drawn_to = PLOT_LEFT;
            for span in lane.spans() {
                let Some((a, b)) = clip(span.start_ns, span.end_ns, window) else {
                    continue;
                };
                let x = x_of(a).max(drawn_to).min(PLOT_RIGHT - MIN_SPAN_WIDTH);
                let w = (x_of(b) - x).max(MIN_SPAN_WIDTH);
                drawn_to = x + w;
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
                    ms_fine(a - window.0),
                    ms_fine(b - window.0)
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
                    ms_fine(marker.at_ns - window.0)
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

/// Nanoseconds as milliseconds to the microsecond, for the hover titles of spans that may
/// last a few microseconds.
fn ms_fine(ns: u64) -> String {
    format!("{:.3}", ns as f64 / 1e6)
}

/// A total time in words: milliseconds with two decimals, or microseconds below 0.1 ms
/// (so that a few microseconds of holding the GIL do not read as "0.00 ms").
fn duration_text(ns: u64) -> String {
    if ns >= 100_000 {
        format!("{} ms", ms(ns))
    } else {
        format!("{:.1} µs", ns as f64 / 1e3)
    }
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

    /// Machado, Oliveira and Fernandes (2009), severity 1, on linear RGB: what a person
    /// with protanopia, deuteranopia or tritanopia sees; and normal vision.
    const VISIONS: [(&str, [[f64; 3]; 3]); 4] = [
        (
            "normal vision",
            [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        ),
        (
            "protanopia",
            [
                [0.152286, 1.052583, -0.204868],
                [0.114503, 0.786281, 0.099216],
                [-0.003882, -0.048116, 1.051998],
            ],
        ),
        (
            "deuteranopia",
            [
                [0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881],
            ],
        ),
        (
            "tritanopia",
            [
                [1.255528, -0.076749, -0.178779],
                [-0.078411, 0.930809, 0.147602],
                [0.004733, 0.691367, 0.303900],
            ],
        ),
    ];

    /// `#rrggbb` as seen with `matrix`, in CIELAB (D65).
    fn lab(hex: &str, matrix: &[[f64; 3]; 3]) -> [f64; 3] {
        let channel = |i: usize| {
            let c = f64::from(
                u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).expect("a hex colour"),
            ) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let rgb = [channel(0), channel(1), channel(2)];
        let seen: Vec<f64> = matrix
            .iter()
            .map(|row| (row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2]).clamp(0.0, 1.0))
            .collect();
        let (r, g, b) = (seen[0], seen[1], seen[2]);
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        let f = |t: f64| {
            if t > 0.008856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        [
            116.0 * f(y) - 16.0,
            500.0 * (f(x) - f(y)),
            200.0 * (f(y) - f(z)),
        ]
    }

    fn distance(a: [f64; 3], b: [f64; 3]) -> f64 {
        a.iter()
            .zip(b)
            .map(|(p, q)| (p - q) * (p - q))
            .sum::<f64>()
            .sqrt()
    }

    /// Colours closer than this (CIE76) are easily taken for one another.
    const APART: f64 = 20.0;

    #[test]
    fn states_of_the_same_height_stay_apart_for_colour_blind_readers() {
        for (i, &a) in State::ALL.iter().enumerate() {
            for &b in &State::ALL[i + 1..] {
                if height_share(a) != height_share(b) || paint(a).hatched != paint(b).hatched {
                    continue;
                }
                for (vision, matrix) in &VISIONS {
                    let d = distance(lab(paint(a).colour, matrix), lab(paint(b).colour, matrix));
                    assert!(
                        d >= APART,
                        "{a:?} ({}) and {b:?} ({}) are drawn at the same height, both {}, and \
                         their colours are only {d:.1} apart with {vision} (at least {APART} needed): \
                         change a colour, or hatch one of them",
                        paint(a).colour,
                        paint(b).colour,
                        if paint(a).hatched { "hatched" } else { "plain" }
                    );
                }
            }
        }
    }

    #[test]
    fn every_state_stands_out_from_the_lane_behind_it() {
        for state in State::ALL {
            for (vision, matrix) in &VISIONS {
                let d = distance(
                    lab(paint(state).colour, matrix),
                    lab(LANE_BACKGROUND, matrix),
                );
                assert!(
                    d >= APART,
                    "{state:?} ({}) is only {d:.1} from the lane's background with {vision}",
                    paint(state).colour
                );
            }
        }
    }

    #[test]
    fn a_burst_of_short_spans_shows_every_state_in_turn() {
        // 40 ms across; a take, a 10 µs hold, a 20 µs blocking call and a wait, all within
        // one pixel's time, between two long waits.
        let lane = Lane::new("io")
            .span(0, 20_000_000, State::WaitingForGil)
            .span(20_000_000, 20_010_000, State::HoldingGil)
            .span(20_010_000, 20_030_000, State::BlockedIo)
            .span(20_030_000, 20_031_000, State::WaitingForGil)
            .span(20_031_000, 20_035_000, State::HoldingGil)
            .span(20_035_000, 40_000_000, State::BlockedIo);
        let svg = Timeline::new("burst").lane(lane).to_svg();
        let spans: Vec<(f64, f64)> = svg
            .lines()
            .filter(|l| l.starts_with("<rect") && l.contains("<title>io:"))
            .map(|l| {
                let attr = |name: &str| -> f64 {
                    let at = l.find(&format!(" {name}=\"")).expect("an attribute") + name.len() + 3;
                    l[at..]
                        .split('"')
                        .next()
                        .and_then(|v| v.parse().ok())
                        .expect("a number")
                };
                (attr("x"), attr("width"))
            })
            .collect();
        assert_eq!(spans.len(), 6, "one rectangle per span");
        for pair in spans.windows(2) {
            let ((x0, w0), (x1, _)) = (pair[0], pair[1]);
            assert!(w0 >= MIN_SPAN_WIDTH, "a span drawn {w0} px wide");
            assert!(
                x1 >= x0 + w0 - 0.05,
                "a span drawn at {x1} px hides part of the one at {x0}..{} px",
                x0 + w0
            );
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
