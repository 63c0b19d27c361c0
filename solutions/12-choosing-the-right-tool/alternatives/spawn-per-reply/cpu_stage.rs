//! Another correct CPU stage: the calling thread reads the channel, hands every reply
//! to rayon as a job of its own, and puts the digests that come back in their slots.

use std::io;
use std::sync::mpsc::{self, Receiver};

use crate::digest::{Digest, Work};
use crate::io_stage::Arrival;

/// One rayon job per reply; the slots keep the order of `pages`.
pub fn digest_all(
    arrived: Receiver<Arrival>,
    pages: &[u64],
    work: &Work,
) -> io::Result<Vec<Digest>> {
    let (done, finished) = mpsc::channel();
    let mut came = 0;
    for (index, reply) in arrived {
        let (done, work, page) = (done.clone(), work.clone(), pages[index]);
        rayon::spawn(move || {
            let _ = done.send((index, reply.and_then(|text| work.digest(page, &text))));
        });
        came += 1;
    }
    drop(done);
    let mut slots: Vec<Option<io::Result<Digest>>> = pages.iter().map(|_| None).collect();
    for (index, digest) in finished {
        slots[index] = Some(digest);
    }
    if came != pages.len() {
        return Err(io::Error::other(format!(
            "only {came} of {} pages came",
            pages.len()
        )));
    }
    slots
        .into_iter()
        .map(|slot| slot.unwrap_or_else(|| Err(io::Error::other("a page came twice"))))
        .collect()
}
