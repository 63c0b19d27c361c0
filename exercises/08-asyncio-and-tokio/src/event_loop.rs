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
    // TODO: build a one-thread runtime and block on `main`:
    //   let mut builder = tokio::runtime::Builder::new_current_thread();
    //   builder.enable_all();              // timers and I/O
    // With `Clock::Paused`, also `builder.start_paused(true)`. Then
    // `builder.build()` (a Result: `.expect(..)` it) and `runtime.block_on(main)`.
    // Not `#[tokio::main]` or `Runtime::new()`: those start a thread per core.
    todo!()
}
