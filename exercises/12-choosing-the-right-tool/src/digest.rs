//! The CPU stage's work, written for you: parse one page into words and hash it.
//! Each call of [`Work::digest`] records who ran it, when and on which CPU, so the
//! checks can see how your pipeline really ran, not only how long it took.

use std::collections::HashSet;
use std::fmt;
use std::hint::black_box;
use std::io;
use std::time::{Duration, Instant};

use std::sync::Arc;

use sha2::{Digest as _, Sha256};
use timing::{Activity, Meeting};

/// What the CPU stage makes of one page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Digest {
    /// The page's number.
    pub page: u64,
    /// How many words the page has. The pages are letters without spaces, so the
    /// course reads every `z` as a space.
    pub words: usize,
    /// How many different words.
    pub distinct_words: usize,
    /// The first of the longest words.
    pub longest_word: String,
    /// The page's body hashed with SHA-256, then again with the hash in front of the
    /// body, as many times as the work's rounds (a stretched hash, as a password
    /// store computes).
    pub sha256: [u8; 32],
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "page {}: {} words ({} distinct), longest {:?}, sha256 ",
            self.page, self.words, self.distinct_words, self.longest_word
        )?;
        for byte in &self.sha256[..8] {
            write!(f, "{byte:02x}")?;
        }
        f.write_str("…")
    }
}

/// The CPU-bound work of one page, watched.
///
/// Cloning is cheap and shares the record, so a clone can go to another thread or
/// into an async task.
#[derive(Clone, Debug)]
pub struct Work {
    rounds: u32,
    activity: Activity,
    company: Option<Arc<Meeting>>,
}

impl Work {
    /// Work that hashes each page `rounds` times (at least once).
    pub fn with_rounds(rounds: u32) -> Work {
        Work {
            rounds: rounds.max(1),
            activity: Activity::new(),
            company: None,
        }
    }

    /// A copy of this work that waits for company: until `workers` calls of
    /// [`Work::digest`] are running at the same moment, each call waits for the others,
    /// at most `patience` in all. Digests on several threads meet at once, on any
    /// machine, busy or not; digests made one after another never do. The checks use
    /// it; it changes no digest.
    pub fn waiting_for_company(&self, workers: usize, patience: Duration) -> Work {
        Work {
            rounds: self.rounds,
            activity: Activity::new(),
            company: Some(Arc::new(Meeting::new(workers, patience))),
        }
    }

    /// The most calls of [`Work::digest`] that were running at the same moment, for
    /// work made by [`Work::waiting_for_company`] (0 for other work).
    pub fn most_at_once(&self) -> usize {
        self.company.as_deref().map_or(0, Meeting::most)
    }

    /// Work whose rounds are chosen so that digesting one page of `body_size` bytes
    /// takes about `per_page` on this machine, in this build (debug or release).
    pub fn calibrated(per_page: Duration, body_size: usize) -> Work {
        let reply = loopback::expected_reply(0, body_size);
        let fastest = |rounds: u32| {
            let work = Work::with_rounds(rounds);
            (0..3)
                .map(|_| {
                    let start = Instant::now();
                    black_box(work.digest(0, &reply).ok());
                    start.elapsed()
                })
                .min()
                .unwrap_or_default()
        };
        let mut rounds = 1u32;
        loop {
            let took = fastest(rounds);
            if took >= per_page / 4 || rounds >= 1 << 24 {
                let scaled = f64::from(rounds) * per_page.as_secs_f64() / took.as_secs_f64();
                return Work::with_rounds(scaled.round().clamp(1.0, f64::from(u32::MAX)) as u32);
            }
            rounds *= 2;
        }
    }

    /// Hashing rounds per page.
    pub fn rounds(&self) -> u32 {
        self.rounds
    }

    // ANCHOR: digest
    /// Parses the server's `reply` to page `page` (`"<page> <body>\n"`) and digests
    /// it: pure computation, nothing to wait for. Fails with `InvalidData` if the reply
    /// is not the answer to `page`.
    pub fn digest(&self, page: u64, reply: &str) -> io::Result<Digest> {
        let _recorded = self.activity.enter();
        let _counted = self.company.as_deref().map(Meeting::arrive);
        let body = parse_reply(page, reply)?;
        let mut words = 0;
        let mut distinct = HashSet::new();
        let mut longest = "";
        for word in body.split('z').filter(|w| !w.is_empty()) {
            words += 1;
            distinct.insert(word);
            if word.len() > longest.len() {
                longest = word;
            }
        }
        let mut hash: [u8; 32] = Sha256::digest(body.as_bytes()).into();
        for _ in 1..self.rounds {
            hash = Sha256::new()
                .chain_update(hash)
                .chain_update(body.as_bytes())
                .finalize()
                .into();
        }
        Ok(Digest {
            page,
            words,
            distinct_words: distinct.len(),
            longest_word: longest.to_string(),
            sha256: hash,
        })
    }
    // ANCHOR_END: digest

    /// The record of every call of [`Work::digest`]: when, on which CPU, for how long.
    pub fn activity(&self) -> &Activity {
        &self.activity
    }
}

/// The body of `reply`, checked to be the answer to `page`.
fn parse_reply(page: u64, reply: &str) -> io::Result<&str> {
    let bad = |why: String| io::Error::new(io::ErrorKind::InvalidData, why);
    let line = reply.strip_suffix('\n').ok_or_else(|| {
        bad(format!(
            "the reply to page {page} does not end with a newline"
        ))
    })?;
    let (number, body) = line
        .split_once(' ')
        .ok_or_else(|| bad(format!("the reply to page {page} is not `<page> <body>`")))?;
    match number.parse::<u64>() {
        Ok(n) if n == page => Ok(body),
        _ => Err(bad(format!(
            "asked for page {page}, the reply starts with {number:?}"
        ))),
    }
}
