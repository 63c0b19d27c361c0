//! Given: a log of what the tasks did and when, the course's stand-in for `print`.
//!
//! Times are read from tokio's clock (`tokio::time::Instant`), so on a runtime whose
//! time is paused they are *virtual* milliseconds: a run that sleeps 2 s logs
//! `2000 ms` exactly, on any machine, however busy.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// A shared, ordered log of lines, each stamped with the time since [`EventLog::start`]
/// on tokio's clock. Cloning it gives another handle to the same log.
#[derive(Clone, Debug)]
pub struct EventLog {
    origin: Instant,
    lines: Arc<Mutex<Vec<(Duration, String)>>>,
}

impl EventLog {
    /// A new, empty log whose time 0 is now. Call it inside the runtime (in the future
    /// you give to `run`): outside, tokio's clock is the real one even when the
    /// runtime's time is paused.
    pub fn start() -> EventLog {
        EventLog {
            origin: Instant::now(),
            lines: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// Appends `line`, stamped with the time since the log started: `print(line)`.
    pub fn say(&self, line: impl Into<String>) {
        let at = self.elapsed();
        self.lines
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((at, line.into()));
    }

    /// The time since the log started, on tokio's clock.
    pub fn elapsed(&self) -> Duration {
        Instant::now().duration_since(self.origin)
    }

    /// Every line so far, in the order they were said, with its time.
    pub fn entries(&self) -> Vec<(Duration, String)> {
        self.lines
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Every line so far as text, `"  2000 ms  Finished Task-1"`, in the order said.
    pub fn lines(&self) -> Vec<String> {
        EventLog::format(&self.entries())
    }

    /// `entries` as text, one `"  2000 ms  Finished Task-1"` per entry.
    pub fn format(entries: &[(Duration, String)]) -> Vec<String> {
        entries
            .iter()
            .map(|(at, line)| format!("{:>6} ms  {line}", at.as_millis()))
            .collect()
    }
}
