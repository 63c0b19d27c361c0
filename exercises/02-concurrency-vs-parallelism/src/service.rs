//! What there is to serve, written for you: a table's service (or a checkout line's
//! customers) is a named list of small steps, each taking a few ticks.

/// One small piece of service: "takes the order", "brings the food". It lasts `ticks`
/// units of time: ticks of a virtual clock on a [`crate::StepClock`], turns of
/// arithmetic on a [`crate::Kitchen`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Step {
    /// What the worker does, as the log says it.
    pub what: String,
    /// How long it takes, in ticks (at least 1).
    pub ticks: u64,
}

impl Step {
    /// A step that does `what` for `ticks` ticks.
    pub fn new(what: impl Into<String>, ticks: u64) -> Step {
        Step {
            what: what.into(),
            ticks: ticks.max(1),
        }
    }
}

/// A table to serve, or a checkout line to clear: a name and its steps, which must be
/// served in order, one after the other.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Service {
    /// "table 1", "line 2".
    pub name: String,
    /// The steps, in the order they must be served.
    pub steps: Vec<Step>,
}

impl Service {
    /// A service called `name` made of `steps`.
    pub fn new(name: impl Into<String>, steps: Vec<Step>) -> Service {
        Service {
            name: name.into(),
            steps,
        }
    }
}

// ANCHOR: tables
/// A table's four steps and how long each takes, in ticks.
pub const MEAL: [(&str, u64); 4] = [
    ("takes the order", 2),
    ("brings the drinks", 1),
    ("brings the food", 3),
    ("brings the bill", 1),
];

/// The notes' restaurant: three tables, each served the four steps of [`MEAL`].
pub fn three_tables() -> Vec<Service> {
    (1..=3)
        .map(|n| {
            let steps = MEAL.iter().map(|&(what, ticks)| Step::new(what, ticks));
            Service::new(format!("table {n}"), steps.collect())
        })
        .collect()
}
// ANCHOR_END: tables

/// The notes' grocery store: ten customers in two checkout lines of five. A customer
/// with a full cart takes longer to check out (more ticks).
pub fn two_lines() -> Vec<Service> {
    let carts = [[3, 1, 2, 2, 1], [1, 2, 1, 3, 2]];
    carts
        .iter()
        .enumerate()
        .map(|(line, carts)| {
            let steps = carts.iter().enumerate().map(|(i, &ticks)| {
                Step::new(format!("checks out customer {}", line * 5 + i + 1), ticks)
            });
            Service::new(format!("line {}", line + 1), steps.collect())
        })
        .collect()
}
