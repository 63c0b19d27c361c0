//! The threaded client: the threads send their replies over a channel.

use std::io;
use std::net::SocketAddr;
use std::sync::mpsc;

use python_model::Interpreter;

use crate::{PATIENCE, fetch_page};

/// Fetches `pages` on `threads` Python threads; each sends `(position, reply)` as soon as
/// it has it, and the caller puts them in place.
pub fn fetch_with_threads(
    interp: &Interpreter,
    addr: SocketAddr,
    pages: &[u64],
    threads: usize,
) -> io::Result<Vec<String>> {
    let (send, received) = mpsc::channel();
    let mut handles = Vec::new();
    for i in 0..threads {
        let send = send.clone();
        let mine: Vec<(usize, u64)> = (i..pages.len()).step_by(threads).map(|at| (at, pages[at])).collect();
        handles.push(interp.spawn(&format!("fetcher-{i}"), move |py| {
            for (at, n) in mine {
                let reply = py.blocking(|| fetch_page(addr, n, PATIENCE));
                let _ = send.send((at, reply));
            }
        }));
    }
    drop(send);
    let mut replies = vec![String::new(); pages.len()];
    let mut first_error = None;
    for (at, reply) in received {
        match reply {
            Ok(reply) => replies[at] = reply,
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    for handle in handles {
        if let Err(panic) = handle.join() {
            std::panic::resume_unwind(panic);
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(replies),
    }
}
