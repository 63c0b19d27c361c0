//! Written for you: one worker process of the multiprocessing client.
//! `ch09-fetch ADDR N...` fetches pages N... from the loopback server at ADDR, one after
//! another, with your `fetch_sequential`, and prints each reply on a line of its own.

use std::io::Write;
use std::net::SocketAddr;

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: ch09-fetch ADDR N... (ADDR like 127.0.0.1:4000, N page numbers)";
    let Some(addr) = args.next().and_then(|a| a.parse::<SocketAddr>().ok()) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let Ok(pages) = args
        .map(|a| a.parse::<u64>())
        .collect::<Result<Vec<_>, _>>()
    else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    match io_bound_showdown::fetch_sequential(addr, &pages) {
        Ok(replies) => {
            let mut out = std::io::stdout().lock();
            for reply in replies {
                let _ = out.write_all(reply.as_bytes());
            }
            let _ = out.flush();
        }
        Err(e) => {
            eprintln!("ch09-fetch: {e}");
            std::process::exit(1);
        }
    }
}
