//! `asyncio.run` on tokio's everyday runtime, a thread per core: the mistake.

use std::future::Future;

/// Which clock the event loop's timers run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// The real clock.
    Real,
    /// tokio's paused clock.
    Paused,
}

/// Runs `main` on a runtime with a worker thread per core for the real clock (the paused
/// clock needs the one-thread runtime, so it gets one).
pub fn run<F: Future>(clock: Clock, main: F) -> F::Output {
    let runtime = match clock {
        Clock::Real => tokio::runtime::Runtime::new(),
        Clock::Paused => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build(),
    };
    runtime.expect("a tokio runtime").block_on(main)
}
