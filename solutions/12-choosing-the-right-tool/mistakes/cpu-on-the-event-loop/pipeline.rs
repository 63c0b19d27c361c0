//! The pipeline with the mistake: no channel and no CPU stage; each page is digested
//! in the async task that downloaded it.

use std::io;
use std::net::SocketAddr;

use tokio::task::JoinSet;

use crate::digest::{Digest, Work};
use crate::fetch::fetch_async;

/// The mistake: "the task already has the reply, so digest it right there". Every
/// task runs on the runtime's one thread, so the digests run one after another.
pub fn pipeline(addr: SocketAddr, pages: &[u64], work: &Work) -> io::Result<Vec<Digest>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut downloads = JoinSet::new();
        for (index, &page) in pages.iter().enumerate() {
            let work = work.clone();
            downloads.spawn(async move {
                let digest = match fetch_async(addr, page).await {
                    Ok(reply) => work.digest(page, &reply),
                    Err(err) => Err(err),
                };
                (index, digest)
            });
        }
        let mut digests = Vec::with_capacity(pages.len());
        while let Some(done) = downloads.join_next().await {
            digests.push(done.map_err(io::Error::other)?);
        }
        digests.sort_unstable_by_key(|&(index, _)| index);
        digests.into_iter().map(|(_, digest)| digest).collect()
    })
}
