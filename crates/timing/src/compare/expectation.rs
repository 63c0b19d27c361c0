//! What a comparison claims about the candidate against the baseline, and how each
//! claim is worded.

use std::time::Duration;

use crate::report;

/// What the candidate is claimed to do compared with the baseline, on the minimum
/// time of each.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Expectation {
    /// `candidate / baseline >= factor`.
    CandidateSlower(f64),
    /// `baseline / candidate >= factor`.
    CandidateFaster(f64),
    /// `baseline / candidate <= factor`.
    NoSpeedup(f64),
}

impl Expectation {
    /// The ratio this expectation is stated in: candidate over baseline for
    /// `CandidateSlower`, baseline over candidate (the speed-up) otherwise.
    pub fn ratio(&self, baseline: Duration, candidate: Duration) -> f64 {
        let (b, c) = (baseline.as_secs_f64(), candidate.as_secs_f64());
        match self {
            Expectation::CandidateSlower(_) => c / b,
            Expectation::CandidateFaster(_) | Expectation::NoSpeedup(_) => b / c,
        }
    }

    /// The factor of the claim.
    pub fn factor(&self) -> f64 {
        match *self {
            Expectation::CandidateSlower(f) | Expectation::CandidateFaster(f) | Expectation::NoSpeedup(f) => f,
        }
    }

    /// The same claim with another factor (a requirement scaled to the free cores).
    pub(crate) fn with_factor(&self, f: f64) -> Expectation {
        match self {
            Expectation::CandidateSlower(_) => Expectation::CandidateSlower(f),
            Expectation::CandidateFaster(_) => Expectation::CandidateFaster(f),
            Expectation::NoSpeedup(_) => Expectation::NoSpeedup(f),
        }
    }

    /// Whether `ratio` (as given by [`Expectation::ratio`]) meets the expectation.
    pub fn holds(&self, ratio: f64) -> bool {
        match *self {
            Expectation::CandidateSlower(f) | Expectation::CandidateFaster(f) => ratio >= f,
            Expectation::NoSpeedup(f) => ratio <= f,
        }
    }

    /// A busy machine can make a candidate look slower or no faster, never faster.
    pub(crate) fn load_can_fake_a_pass(&self) -> bool {
        !matches!(self, Expectation::CandidateFaster(_))
    }

    pub(crate) fn phrase(&self, candidate: &str, ratio: f64) -> String {
        match self {
            Expectation::CandidateSlower(_) => format!("{candidate} cost {}", report::ratio(ratio)),
            _ => format!("speed-up {}", report::ratio(ratio)),
        }
    }

    pub(crate) fn outcome(&self, ratio: f64) -> String {
        match self {
            Expectation::CandidateSlower(_) => format!("it took {} as long", report::ratio(ratio)),
            _ => format!("the speed-up was {}", report::ratio(ratio)),
        }
    }

    pub(crate) fn required(&self) -> String {
        match *self {
            Expectation::CandidateSlower(f) | Expectation::CandidateFaster(f) => {
                format!("required at least {}", report::factor(f))
            }
            Expectation::NoSpeedup(f) => format!("required at most {}", report::factor(f)),
        }
    }

    pub(crate) fn claim(&self, baseline: &str, candidate: &str) -> String {
        match *self {
            Expectation::CandidateSlower(f) => {
                format!(
                    "{candidate} to take at least {} as long as {baseline}",
                    report::factor(f)
                )
            }
            Expectation::CandidateFaster(f) => {
                format!(
                    "{candidate} to be at least {} faster than {baseline}",
                    report::factor(f)
                )
            }
            Expectation::NoSpeedup(f) => {
                format!(
                    "{candidate} to be at most {} faster than {baseline}",
                    report::factor(f)
                )
            }
        }
    }

    pub(crate) fn default_hint(&self, baseline: &str, candidate: &str) -> String {
        match self {
            Expectation::CandidateSlower(_) => format!(
                "Look at whether {candidate} really pays the cost this check is about, \
                 and {baseline} avoids it."
            ),
            Expectation::CandidateFaster(_) => format!(
                "Look at whether {candidate} really does less, or shares the work out, \
                 compared with {baseline}."
            ),
            Expectation::NoSpeedup(_) => format!(
                "Look at whether {candidate} really runs one piece of work at a time, \
                 the way {baseline} does."
            ),
        }
    }
}
