//! Many downloads, at most `limit` of them at once.

use std::thread;

/// Downloads every page on a thread of its own, with at most `limit` downloads in
/// flight at any moment, and returns the results in the pages' order.
pub fn download_all<R: Send>(
    pages: &[u64],
    limit: usize,
    download: impl Fn(u64) -> R + Sync,
) -> Vec<R> {
    // THE MISTAKE: no semaphore; `limit` threads at a time, each batch joined before
    // the next starts. Never more than `limit` at once, and the results are right, but
    // when one download of a batch ends early its place stays empty until the slowest
    // of the batch is done.
    let download = &download;
    let mut results = Vec::with_capacity(pages.len());
    for batch in pages.chunks(limit.max(1)) {
        thread::scope(|s| {
            let workers: Vec<_> = batch
                .iter()
                .map(|&page| s.spawn(move || download(page)))
                .collect();
            for worker in workers {
                results.push(
                    worker
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                );
            }
        });
    }
    results
}
