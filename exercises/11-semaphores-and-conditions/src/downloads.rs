//! Many downloads, at most `limit` of them at once.

// The stub leaves its parameters and imports unused until you fill it in.
#![allow(unused_imports, unused_variables)]

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
    // TODO: one `Semaphore::new(limit)`; then in `thread::scope(|s| ...)`, spawn one
    // thread per page (all of them, collecting the handles, before joining any). Each
    // thread takes a permit and keeps it for the whole download:
    //     let _permit = semaphore.acquire();
    //     download(page)
    // (`let _ = semaphore.acquire();` would drop the permit at once.) Join the handles
    // in order and collect the results. Closures that `move` need references, so
    // `let (semaphore, download) = (&semaphore, &download);` first.
    todo!()
}
