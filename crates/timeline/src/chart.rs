//! A line chart over whole numbers 1..=n (cores, threads, workers): curves, measured
//! points and a horizontal rule, rendered in the timelines' palette as one
//! self-contained SVG with a `<title>` and a `<desc>`. Chapter 07 draws Amdahl's law
//! with it.

use std::fmt::Write as _;

use crate::palette::{BACKGROUND, BLUE, FONT, FRAME, GRID, INK, MUTED, VERMILLION, escape, num};

const WIDTH: f64 = 700.0;
const HEIGHT: f64 = 350.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 560.0;
const TOP: f64 = 96.0;
const BOTTOM: f64 = 296.0;

/// How a curve is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emphasis {
    /// The curve the chart is about: thick, blue, a dot at every point.
    Main,
    /// A reference line: dashed, muted.
    Reference,
    /// A curve drawn for comparison: thin, muted.
    Comparison,
}

/// How a legend entry is marked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegendMark {
    /// The main curve's line.
    Line,
    /// A measured point's dot.
    Measured,
}

/// One curve: a name (shown at its right end and in its tooltip) and its points.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    /// Shown at the curve's right end and in its tooltip.
    pub name: String,
    /// `(x, y)` in data units, x from 1.
    pub points: Vec<(f64, f64)>,
    /// How it is drawn.
    pub emphasis: Emphasis,
}

/// A chart being put together; [`Chart::to_svg`] renders it.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    title: String,
    subtitle: String,
    description: String,
    x_label: String,
    y_label: String,
    x_max: usize,
    curves: Vec<Curve>,
    measured: Vec<(f64, f64, String)>,
    measured_note: Option<String>,
    rule: Option<(f64, String)>,
    legend: Vec<(LegendMark, String)>,
}

impl Chart {
    /// A chart over x = 1..=`x_max` and y = 0..=`x_max` (a speed-up cannot beat n).
    pub fn new(title: impl Into<String>, x_max: usize) -> Chart {
        Chart {
            title: title.into(),
            subtitle: String::new(),
            description: String::new(),
            x_label: String::new(),
            y_label: String::new(),
            x_max: x_max.max(2),
            curves: Vec::new(),
            measured: Vec::new(),
            measured_note: None,
            rule: None,
            legend: Vec::new(),
        }
    }

    /// The line under the title.
    pub fn subtitle(mut self, text: impl Into<String>) -> Chart {
        self.subtitle = text.into();
        self
    }

    /// The text alternative (`<desc>`): everything the picture shows, in words.
    pub fn description(mut self, text: impl Into<String>) -> Chart {
        self.description = text.into();
        self
    }

    /// The axes' names.
    pub fn axes(mut self, x: impl Into<String>, y: impl Into<String>) -> Chart {
        self.x_label = x.into();
        self.y_label = y.into();
        self
    }

    /// Adds a curve.
    pub fn curve(mut self, curve: Curve) -> Chart {
        self.curves.push(curve);
        self
    }

    /// Adds a measured point with its tooltip.
    pub fn measured(mut self, x: f64, y: f64, what: impl Into<String>) -> Chart {
        self.measured.push((x, y, what.into()));
        self
    }

    /// Words written beside the last measured point.
    pub fn measured_note(mut self, text: impl Into<String>) -> Chart {
        self.measured_note = Some(text.into());
        self
    }

    /// A dotted horizontal line at `y` (a ceiling), with its tooltip; drawn only
    /// where it falls inside the chart.
    pub fn rule(mut self, y: f64, what: impl Into<String>) -> Chart {
        self.rule = Some((y, what.into()));
        self
    }

    /// A legend entry.
    pub fn legend(mut self, mark: LegendMark, words: impl Into<String>) -> Chart {
        self.legend.push((mark, words.into()));
        self
    }

    /// The chart as one SVG document.
    pub fn to_svg(&self) -> String {
        let n_max = self.x_max as f64;
        let x = |n: f64| LEFT + (n - 1.0) / (n_max - 1.0) * (RIGHT - LEFT);
        let y = |v: f64| BOTTOM - v / n_max * (BOTTOM - TOP);
        let small = format!(r#"{FONT} font-size="12""#);
        let mut svg = String::new();
        let mut line = |text: String| {
            svg.push_str(&text);
            svg.push('\n');
        };
        line(format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc">"#
        ));
        line(format!(r#"<title id="chart-title">{}</title>"#, escape(&self.title)));
        line(format!(r#"<desc id="chart-desc">{}</desc>"#, escape(&self.description)));
        line(format!(
            r#"<rect x="0.5" y="0.5" width="{}" height="{}" rx="6" fill="{BACKGROUND}" stroke="{FRAME}"/>"#,
            WIDTH - 1.0,
            HEIGHT - 1.0
        ));
        line(format!(
            r#"<text x="16" y="28" {FONT} font-size="16" font-weight="bold" fill="{INK}">{}</text>"#,
            escape(&self.title)
        ));
        line(format!(r#"<text x="16" y="50" {FONT} font-size="13" fill="{MUTED}">{}</text>"#, escape(&self.subtitle)));

        // The legend, in one row above the plot.
        let mut legend = format!(r#"<g {small} fill="{INK}">"#);
        let mut at = 22.0;
        for (mark, words) in &self.legend {
            let mark = match mark {
                LegendMark::Line => format!(
                    r#"<line x1="{}" y1="70" x2="{}" y2="70" stroke="{BLUE}" stroke-width="2.5"/>"#,
                    num(at - 4.0),
                    num(at + 14.0)
                ),
                LegendMark::Measured => format!(r#"<circle cx="{}" cy="70" r="5" fill="{VERMILLION}"/>"#, num(at)),
            };
            let _ = write!(legend, r#"{mark}<text x="{}" y="74">{}</text>"#, num(at + 20.0), escape(words));
            at += 28.0 + words.chars().count() as f64 * 6.2;
        }
        legend.push_str("</g>");
        line(legend);

        // Grid, ticks and axis names.
        let mut grid = String::from(r#"<g stroke-width="1">"#);
        let mut labels = format!(r#"<g {small} fill="{MUTED}">"#);
        for tick in (0..=self.x_max).step_by(4) {
            let ty = y(tick as f64);
            let _ = write!(grid, r#"<line x1="{LEFT}" y1="{}" x2="{RIGHT}" y2="{}" stroke="{GRID}"/>"#, num(ty), num(ty));
            let _ = write!(labels, r#"<text x="{}" y="{}" text-anchor="end">{tick}x</text>"#, num(LEFT - 8.0), num(ty + 4.0));
        }
        for n in 1..=self.x_max {
            let tx = x(n as f64);
            let _ = write!(
                grid,
                r#"<line x1="{}" y1="{BOTTOM}" x2="{}" y2="{}" stroke="{MUTED}"/>"#,
                num(tx),
                num(tx),
                num(BOTTOM + 4.0)
            );
            let _ = write!(labels, r#"<text x="{}" y="{}" text-anchor="middle">{n}</text>"#, num(tx), num(BOTTOM + 18.0));
        }
        let _ = write!(grid, r#"<line x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT}" y2="{BOTTOM}" stroke="{MUTED}"/>"#);
        let _ = write!(
            labels,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            num((LEFT + RIGHT) / 2.0),
            num(BOTTOM + 38.0),
            escape(&self.x_label)
        );
        let mid = num((TOP + BOTTOM) / 2.0);
        let _ = write!(
            labels,
            r#"<text x="22" y="{mid}" text-anchor="middle" transform="rotate(-90 22 {mid})">{}</text>"#,
            escape(&self.y_label)
        );
        grid.push_str("</g>");
        labels.push_str("</g>");
        line(grid);
        line(labels);

        if let Some((v, what)) = self.rule.as_ref().filter(|(v, _)| *v > 0.0 && *v <= n_max) {
            line(format!(
                r#"<line x1="{LEFT}" y1="{}" x2="{RIGHT}" y2="{}" stroke="{BLUE}" stroke-width="1" stroke-dasharray="2 4"><title>{}</title></line>"#,
                num(y(*v)),
                num(y(*v)),
                escape(what)
            ));
        }
        for curve in &self.curves {
            let points: Vec<String> = curve.points.iter().map(|&(px, py)| format!("{},{}", num(x(px)), num(y(py)))).collect();
            let style = match curve.emphasis {
                Emphasis::Main => format!(r#"stroke="{BLUE}" stroke-width="2.5""#),
                Emphasis::Reference => format!(r#"stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="6 5""#),
                Emphasis::Comparison => format!(r#"stroke="{MUTED}" stroke-width="1.25""#),
            };
            line(format!(
                r#"<polyline points="{}" fill="none" {style}><title>{}</title></polyline>"#,
                points.join(" "),
                escape(&curve.name)
            ));
            if curve.emphasis == Emphasis::Main {
                let mut dots = format!(r#"<g fill="{BLUE}">"#);
                for &(px, py) in &curve.points {
                    let _ = write!(
                        dots,
                        r#"<circle cx="{}" cy="{}" r="3"><title>{}: {px}, {py:.2}x</title></circle>"#,
                        num(x(px)),
                        num(y(py)),
                        escape(&curve.name)
                    );
                }
                dots.push_str("</g>");
                line(dots);
            }
        }
        for (px, py, what) in &self.measured {
            line(format!(
                r#"<circle cx="{}" cy="{}" r="6" fill="{VERMILLION}" stroke="{BACKGROUND}" stroke-width="1.5"><title>{}</title></circle>"#,
                num(x(*px)),
                num(y(*py)),
                escape(what)
            ));
        }
        if let (Some(note), Some((px, py, _))) = (&self.measured_note, self.measured.last()) {
            line(format!(
                r#"<text x="{}" y="{}" {small} fill="{VERMILLION}">{}</text>"#,
                num(x(*px) + 10.0),
                num(y(*py) + 20.0),
                escape(note)
            ));
        }

        // Every curve named at its right end, the names pushed apart where they would meet.
        let mut ends: Vec<(f64, &str, &str)> = self
            .curves
            .iter()
            .filter_map(|c| {
                let colour = if c.emphasis == Emphasis::Main { BLUE } else { MUTED };
                c.points.last().map(|&(_, py)| (py, c.name.as_str(), colour))
            })
            .collect();
        ends.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut next_free = f64::MIN;
        let mut names = format!(r#"<g {small}>"#);
        for (end, name, colour) in ends {
            let ty = (y(end) + 4.0).max(next_free);
            next_free = ty + 15.0;
            let _ = write!(names, r#"<text x="{}" y="{}" fill="{colour}">{}</text>"#, num(RIGHT + 8.0), num(ty), escape(name));
        }
        names.push_str("</g>");
        line(names);
        line("</svg>".to_string());
        svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_one_svg_with_its_text_alternative_and_every_curve_named() {
        let svg = Chart::new("Amdahl", 4)
            .description("a <test> chart")
            .curve(Curve { name: "ideal".into(), points: vec![(1.0, 1.0), (4.0, 4.0)], emphasis: Emphasis::Reference })
            .curve(Curve { name: "p = 0.9".into(), points: vec![(1.0, 1.0), (4.0, 3.1)], emphasis: Emphasis::Main })
            .measured(2.0, 1.8, "measured: 1.8x")
            .rule(10.0, "ceiling out of the chart")
            .to_svg();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("<desc id=\"chart-desc\">a &lt;test&gt; chart</desc>"));
        assert!(svg.contains(">ideal</text>") && svg.contains(">p = 0.9</text>"));
        assert!(!svg.contains("ceiling out of the chart"), "a rule above the chart is not drawn");
    }
}
