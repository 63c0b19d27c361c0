//! The same job (download every page, digest every page) done with one technique
//! each, written for you. Each is the right tool for one stage and the wrong one for
//! the other; your pipeline must agree with [`sequential`] and beat them all.

use std::io;
use std::net::SocketAddr;

use python_model::Interpreter;
use rayon::prelude::*;

use crate::digest::{Digest, Work};
use crate::fetch::{fetch_async, fetch_blocking};

// ANCHOR: sequential
/// One page after another: download, digest, next. The answer every version must
/// give, in the order of `pages`.
pub fn sequential(addr: SocketAddr, pages: &[u64], work: &Work) -> io::Result<Vec<Digest>> {
    pages
        .iter()
        .map(|&page| work.digest(page, &fetch_blocking(addr, page)?))
        .collect()
}
// ANCHOR_END: sequential

// ANCHOR: threads_under_the_gil
/// Python's `threading`: one thread per page, on the course's model of CPython (one
/// interpreter, one GIL). The downloads wait together, because a blocking call
/// releases the GIL; the digests take turns, because computing needs it.
///
/// ```python
/// with ThreadPoolExecutor(max_workers=len(pages)) as pool:
///     digests = list(pool.map(download_and_digest, pages))
/// ```
pub fn threads_under_the_gil(
    addr: SocketAddr,
    pages: &[u64],
    work: &Work,
) -> io::Result<Vec<Digest>> {
    let interpreter = Interpreter::new();
    let threads: Vec<_> = pages
        .iter()
        .map(|&page| {
            let work = work.clone();
            interpreter.spawn(&format!("page-{page}"), move |py| {
                // `py.blocking` releases the GIL around the download, as CPython's
                // socket calls do; the digest runs with the GIL held.
                let reply = py.blocking(|| fetch_blocking(addr, page))?;
                work.digest(page, &reply)
            })
        })
        .collect();
    threads
        .into_iter()
        .map(|thread| {
            thread
                .join()
                .unwrap_or_else(|failure| std::panic::resume_unwind(failure))
        })
        .collect()
}
// ANCHOR_END: threads_under_the_gil

// ANCHOR: async_only
/// asyncio alone: one task per page on a one-thread runtime (one event loop). The
/// downloads wait together; each task then digests its page on the loop's only
/// thread, so the digests run one at a time.
///
/// ```python
/// async def download_and_digest(page):
///     reply = await fetch(page)
///     return digest(page, reply)      # CPU work on the event loop
///
/// digests = await asyncio.gather(*(download_and_digest(p) for p in pages))
/// ```
pub fn async_only(addr: SocketAddr, pages: &[u64], work: &Work) -> io::Result<Vec<Digest>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let tasks: Vec<_> = pages
            .iter()
            .map(|&page| {
                let work = work.clone();
                tokio::spawn(async move { work.digest(page, &fetch_async(addr, page).await?) })
            })
            .collect();
        let mut digests = Vec::with_capacity(tasks.len());
        for task in tasks {
            digests.push(task.await.map_err(io::Error::other)??);
        }
        Ok(digests)
    })
}
// ANCHOR_END: async_only

// ANCHOR: rayon_only
/// rayon alone (Python's `multiprocessing.Pool` with one worker per core): every
/// core digests, but each download blocks the thread that asked for it, so only as
/// many pages are on their way as rayon has threads.
///
/// ```python
/// with multiprocessing.Pool() as pool:
///     digests = pool.map(download_and_digest, pages)
/// ```
pub fn rayon_only(addr: SocketAddr, pages: &[u64], work: &Work) -> io::Result<Vec<Digest>> {
    pages
        .par_iter()
        .map(|&page| work.digest(page, &fetch_blocking(addr, page)?))
        .collect()
}
// ANCHOR_END: rayon_only
