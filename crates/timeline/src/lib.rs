//! SVG timelines of threads: which one ran Python holding the GIL, which waited for it,
//! which was blocked or asleep with the GIL released, which ran without a GIL, and when a
//! waiter asked the holder to let go.
//!
//! A [`Timeline`] holds [`Lane`]s (one per thread or process), each a list of [`Span`]s in
//! a [`State`] plus instant [`Marker`]s, on one nanosecond clock. [`Timeline::to_svg`]
//! renders it as one self-contained SVG document, 800 px wide: no script, no external
//! font or stylesheet, a `<title>` and a `<desc>` (the text alternative, with the time
//! each lane spent in each state), a time axis in milliseconds and a legend, on a light
//! background of its own so that it reads the same in mdBook's light and dark themes.
//!
//! ```
//! use timeline::{Lane, MarkerKind, State, Timeline};
//!
//! const MS: u64 = 1_000_000;
//! let svg = Timeline::new("Two threads, one GIL")
//!     .description("Thread-1 holds the GIL until Thread-2 asks for it.")
//!     .lane(Lane::new("Thread-1").span(0, 5 * MS, State::HoldingGil).span(5 * MS, 10 * MS, State::WaitingForGil))
//!     .lane(
//!         Lane::new("Thread-2")
//!             .span(0, 5 * MS, State::WaitingForGil)
//!             .marker(5 * MS, MarkerKind::DropRequest)
//!             .span(5 * MS, 10 * MS, State::HoldingGil),
//!     )
//!     .to_svg();
//! assert!(svg.starts_with("<svg") && svg.contains("<desc"));
//! ```
//!
//! [`Chart`] draws curves over 1..=n cores in the same palette (chapter 07's Amdahl
//! curve).
//!
//! [`lanes_from_trace`] turns a [`python_model::TraceLog`] into lanes, so the pictures of
//! the book and of `cargo xtask trace` are drawn from real runs of the model. This crate
//! depends on `python-model`; `python-model` knows nothing of it.

#![warn(missing_docs)]

mod chart;
mod from_trace;
mod lane;
mod palette;
mod picture_main;
mod svg;

pub use chart::{Chart, Curve, Emphasis, LegendMark};
pub use from_trace::lanes_from_trace;
pub use lane::{Lane, Marker, MarkerKind, Span, State};
pub use picture_main::picture_main;
pub use svg::Timeline;
