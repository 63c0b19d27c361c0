//! Many downloads, at most `limit` of them at once.

use std::thread;

use crate::semaphore::Semaphore;

/// Downloads every page on a thread of its own, with at most `limit` downloads in
/// flight at any moment, and returns the results in the pages' order.
///
/// Python:
///
/// ```python
/// sem = threading.Semaphore(limit)
/// def worker(i, page):
///     with sem:
///         results[i] = download(page)
/// ```
pub fn download_all<R: Send>(
    pages: &[u64],
    limit: usize,
    download: impl Fn(u64) -> R + Sync,
) -> Vec<R> {
    let semaphore = Semaphore::new(limit);
    let (semaphore, download) = (&semaphore, &download);
    thread::scope(|s| {
        let workers: Vec<_> = pages
            .iter()
            .map(|&page| {
                s.spawn(move || {
                    let _permit = semaphore.acquire();
                    download(page)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}
