//! A call into learner code that cannot hang a check.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

/// What [`bounded`] returns when the work had not returned within its limit. The work's
/// thread is still running; the check that gets this explains what to look at and
/// panics, and the runner ends the process with everything in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StillRunning;

/// Runs `work` on a thread of its own and waits at most `limit` for it. The thread is
/// named like the calling thread, which libtest names after the check, so a panic in
/// `work` (a learner's `todo!()`) is reported under the check's name; the panic is then
/// passed on to the caller as it was.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(timing::bounded(Duration::from_secs(5), || 6 * 7), Ok(42));
/// let stuck = timing::bounded(Duration::from_millis(10), || loop {
///     std::thread::sleep(Duration::from_secs(1));
/// });
/// assert_eq!(stuck, Err::<(), _>(timing::StillRunning));
/// ```
pub fn bounded<T: Send + 'static>(
    limit: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, StillRunning> {
    let (done, result) = mpsc::channel();
    let name = thread::current().name().unwrap_or("check").to_string();
    let worker = thread::Builder::new()
        .name(name)
        .spawn(move || {
            let _ = done.send(work());
        })
        .expect("the system can start one more thread");
    match result.recv_timeout(limit) {
        Ok(value) => Ok(value),
        Err(RecvTimeoutError::Timeout) => Err(StillRunning),
        // The sender is gone without a value: the work panicked.
        Err(RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker sends before it returns"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_the_work_reaches_the_caller_with_its_message() {
        let caught = std::panic::catch_unwind(|| bounded(Duration::from_secs(5), || -> u8 { panic!("not implemented") }));
        let payload = caught.expect_err("the panic is passed on");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"not implemented"));
    }
}
