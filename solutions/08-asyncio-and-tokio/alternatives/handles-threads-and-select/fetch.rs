//! A blocking call made from async code: a thread of its own and a oneshot channel.

use crate::blocking_io::lookup_blocking;

/// Record `n`, looked up on a new OS thread; the task awaits the channel, so the loop's
/// thread stays free meanwhile.
pub async fn fetch(n: u64) -> u64 {
    let (answer, answered) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = answer.send(lookup_blocking(n));
    });
    answered.await.expect("the lookup thread sends its record")
}
