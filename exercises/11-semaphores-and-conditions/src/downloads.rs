//! Many downloads, at most `limit` of them at once.

// The stub leaves its parameters and imports unused until you fill it in.
#![allow(unused_imports, unused_variables)]

use std::thread;

use crate::semaphore::Semaphore;

/// Downloads every page, each on a thread of its own, with at most `limit` downloads in
/// flight at any moment, and returns the results in the pages' order (not the order
/// they finished in).
///
/// Guarantees: at most `limit` calls of `download` run at once, and `limit` do whenever
/// that many pages are waiting; the moment one download ends, a waiting page starts
/// (no waiting for the rest of a "batch").
///
/// Python:
///
/// ```python
/// sem = threading.Semaphore(limit)
/// def worker(i, page):
///     with sem:
///         results[i] = download(page)
/// ```
///
/// Read: the primer's scoped threads, and this chapter's exercise page.
pub fn download_all<R: Send>(
    pages: &[u64],
    limit: usize,
    download: impl Fn(u64) -> R + Sync,
) -> Vec<R> {
    // TODO: a thread per page, every one started before you wait for any, and at most
    // `limit` downloads under way at once. How long must a thread hold what it takes?
    todo!()
}
