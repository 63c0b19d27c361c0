//! Many downloads, at most `limit` of them at once: permits taken before spawning.

use std::sync::mpsc;
use std::thread;

use crate::semaphore::Semaphore;

/// Downloads every page on a thread of its own, at most `limit` at once, results in the
/// pages' order.
pub fn download_all<R: Send>(
    pages: &[u64],
    limit: usize,
    download: impl Fn(u64) -> R + Sync,
) -> Vec<R> {
    let semaphore = Semaphore::new(limit);
    let (done, results) = mpsc::channel();
    let download = &download;
    thread::scope(|s| {
        for (i, &page) in pages.iter().enumerate() {
            // The spawning thread waits for a permit, then hands it to the page's thread,
            // which drops it when its download is over.
            let permit = semaphore.acquire();
            let done = done.clone();
            s.spawn(move || {
                let result = download(page);
                drop(permit);
                let _ = done.send((i, result));
            });
        }
    });
    drop(done);
    let mut slots: Vec<Option<R>> = (0..pages.len()).map(|_| None).collect();
    for (i, result) in results {
        slots[i] = Some(result);
    }
    slots
        .into_iter()
        .map(|slot| slot.expect("every page's thread sent its result"))
        .collect()
}
