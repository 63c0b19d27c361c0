//! Exercise 09: the I/O-bound showdown.
//!
//! The loopback server (the `loopback` crate, started by the checks on 127.0.0.1) is a
//! slow web site: ask it `GET 17\n` and, after a set delay, it answers one line,
//! `17 <body>\n`, then closes the connection. You write three clients that fetch many
//! pages from it, the three ways Python offers:
//!
//! | Python | here | file |
//! |---|---|---|
//! | `for n in pages: fetch(n)` | [`fetch_sequential`] | `fetch.rs` |
//! | `threading.Thread` per worker, each doing blocking `socket` calls | [`fetch_with_threads`]: Python threads of the course's model, the socket wait inside `py.blocking(..)` | `threads.rs` |
//! | `asyncio.gather(*(fetch(n) for n in pages))` | [`fetch_async`]: one tokio task per page | `asynchronous.rs` |
//! | `multiprocessing.Pool(n).map(fetch, pages)` | [`fetch_with_processes`] (given) | `processes.rs` |
//!
//! Then [`technique_table`] (`table.rs`) prints the notes' technique table with the
//! numbers the showdown ([`measure`], given) measured for your clients.
//!
//! Replace every `todo!()`, one step at a time, in the order `cargo xtask check 09` shows
//! (`fetch.rs`, `threads.rs`, `asynchronous.rs`, `table.rs`; `cargo xtask hint 09` when
//! stuck). Once they pass,
//! `cargo run -q -p ex09-io-bound-showdown --bin ch09-showdown` prints your table.

// The stubs leave their parameters and imports unused until you fill them in; delete
// this line when you are done if you want the warnings back.
#![allow(unused_variables, unused_imports, dead_code)]

use std::time::Duration;

/// How long a client waits for a connection or a reply before it gives up.
pub const PATIENCE: Duration = Duration::from_secs(10);

mod asynchronous;
mod fetch;
mod table;
mod threads;

pub use asynchronous::{fetch_async, fetch_page_async};
pub use fetch::{fetch_page, fetch_sequential};
pub use table::technique_table;
pub use threads::fetch_with_threads;

// Given: the multiprocessing client (it runs the `ch09-fetch` program, src/bin) and the
// showdown that measures every client.
mod processes;
mod showdown;
pub use processes::fetch_with_processes;
pub use showdown::{Row, Showdown, Technique, measure};
