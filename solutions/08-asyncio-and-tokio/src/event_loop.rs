//! `asyncio.run`: one thread, one event loop, run until the main coroutine is done.

use std::future::Future;

/// Which clock the event loop's timers run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// The real clock: `sleep(2 s)` takes two seconds.
    Real,
    /// tokio's paused clock: when every task is waiting on a timer, time jumps straight
    /// to the next deadline, so `sleep(2 s)` returns at once, 2000 virtual ms later.
    Paused,
}

/// Runs `main` to completion on a new event loop with one thread (the calling thread)
/// and returns its output: `asyncio.run(main())`.
pub fn run<F: Future>(clock: Clock, main: F) -> F::Output {
    let mut builder = tokio::runtime::Builder::new_current_thread();
    builder.enable_all();
    if clock == Clock::Paused {
        builder.start_paused(true);
    }
    let runtime = builder
        .build()
        .expect("a one-thread tokio runtime can always be built");
    runtime.block_on(main)
}
