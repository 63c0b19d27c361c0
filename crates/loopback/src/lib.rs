//! A small TCP server on `127.0.0.1` that answers every request after a set delay: the
//! "slow web site" of the I/O chapters. The checks start it themselves, on port 0 (the
//! system picks a free port), inside their own process, so it can never outlive them:
//! it stops when the [`Server`] is dropped, when its lifetime is over, after its request
//! budget, and with the process in any case (a check killed by the runner's watchdog
//! takes its listening socket with it).
//!
//! The protocol is one line each way, so a learner can speak it with `write_all` and
//! `read_line`:
//!
//! ```text
//! client: GET 17\n
//! server: (waits the delay) 17 <body>\n
//! ```
//!
//! The body is [`page_body`]`(17, size)`: deterministic, so a check knows every right
//! answer without trusting the server. The connection then closes; one request per
//! connection, as a page fetch without keep-alive.
//!
//! ```
//! use std::io::{BufRead, BufReader, Write};
//! use std::time::Duration;
//!
//! let server = loopback::Server::start(loopback::Config::delay(Duration::from_millis(20))).unwrap();
//! let mut stream = std::net::TcpStream::connect(server.addr()).unwrap();
//! stream.write_all(b"GET 7\n").unwrap();
//! let mut line = String::new();
//! BufReader::new(stream).read_line(&mut line).unwrap();
//! assert_eq!(line, format!("7 {}\n", loopback::page_body(7, server.config().body_size)));
//! assert_eq!(server.stats().served, 1);
//! ```

#![warn(missing_docs)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::watch;

/// How the server behaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// How long the server waits before it answers a request.
    pub delay: Duration,
    /// Bytes of body in every answer (letters, no newline).
    pub body_size: usize,
    /// Requests answered before the server stops accepting; a runaway client cannot
    /// keep it busy for ever.
    pub max_requests: usize,
    /// The server stops this long after it started, whatever happens.
    pub lifetime: Duration,
}

impl Config {
    /// Answers after `delay`, with 64-byte bodies, at most 100,000 requests, for at most
    /// two minutes.
    pub fn delay(delay: Duration) -> Config {
        Config {
            delay,
            body_size: 64,
            max_requests: 100_000,
            lifetime: Duration::from_secs(120),
        }
    }

    /// The same, with `size`-byte bodies.
    #[must_use]
    pub fn body_size(mut self, size: usize) -> Config {
        self.body_size = size;
        self
    }

    /// The same, answering at most `n` requests.
    #[must_use]
    pub fn max_requests(mut self, n: usize) -> Config {
        self.max_requests = n;
        self
    }

    /// The same, stopping `lifetime` after the start.
    #[must_use]
    pub fn lifetime(mut self, lifetime: Duration) -> Config {
        self.lifetime = lifetime;
        self
    }
}

/// What the server has seen so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Requests answered.
    pub served: usize,
    /// The most connections that were open at the same moment: how many requests the
    /// client really had in flight at once.
    pub peak_open: usize,
    /// Requests that were not `GET <number>` (answered with `ERR`).
    pub bad_requests: usize,
}

#[derive(Default)]
struct Counters {
    served: AtomicUsize,
    open: AtomicUsize,
    peak_open: AtomicUsize,
    bad_requests: AtomicUsize,
}

/// A running server. Dropping it stops it and waits until its socket is closed.
pub struct Server {
    addr: SocketAddr,
    config: Config,
    counters: Arc<Counters>,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds `127.0.0.1:0` and starts serving on a thread of its own.
    ///
    /// # Errors
    /// When the socket cannot be bound or the thread cannot start.
    pub fn start(config: Config) -> std::io::Result<Server> {
        raise_open_files_limit();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        // Bind here, not on the thread, so that `addr` is known (and a failure is
        // reported) before `start` returns.
        let socket = runtime.block_on(async {
            let socket = tokio::net::TcpSocket::new_v4()?;
            socket.bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
            // Room for a thousand clients that connect at the same instant.
            socket.listen(4096)
        })?;
        let addr = socket.local_addr()?;
        let counters = Arc::new(Counters::default());
        let (stop, stopped) = watch::channel(false);
        let thread = std::thread::Builder::new()
            .name("loopback-server".into())
            .spawn({
                let config = config.clone();
                let counters = Arc::clone(&counters);
                move || runtime.block_on(serve(socket, config, counters, stopped))
            })?;
        Ok(Server {
            addr,
            config,
            counters,
            stop,
            thread: Some(thread),
        })
    }

    /// Where to connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// What it has seen so far.
    pub fn stats(&self) -> Stats {
        Stats {
            served: self.counters.served.load(Ordering::SeqCst),
            peak_open: self.counters.peak_open.load(Ordering::SeqCst),
            bad_requests: self.counters.bad_requests.load(Ordering::SeqCst),
        }
    }

    /// Forgets the peak, so one server can measure several clients in turn.
    pub fn reset_peak(&self) {
        self.counters
            .peak_open
            .store(self.counters.open.load(Ordering::SeqCst), Ordering::SeqCst);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    counters: Arc<Counters>,
    mut stopped: watch::Receiver<bool>,
) {
    let deadline = tokio::time::Instant::from_std(Instant::now() + config.lifetime);
    let mut accepted = 0;
    let mut connections = tokio::task::JoinSet::new();
    while accepted < config.max_requests {
        tokio::select! {
            result = listener.accept() => {
                let Ok((stream, _)) = result else { continue };
                accepted += 1;
                let open = counters.open.fetch_add(1, Ordering::SeqCst) + 1;
                counters.peak_open.fetch_max(open, Ordering::SeqCst);
                connections.spawn(answer(stream, config.clone(), Arc::clone(&counters)));
            }
            _ = stopped.changed() => break,
            () = tokio::time::sleep_until(deadline) => break,
        }
        // Reap finished connections as we go, so a long run does not pile them up.
        while connections.try_join_next().is_some() {}
    }
    // Stop listening now; let answers in flight finish unless told to stop.
    drop(listener);
    if *stopped.borrow() {
        connections.abort_all();
        return;
    }
    tokio::select! {
        () = async { while connections.join_next().await.is_some() {} } => {}
        _ = stopped.changed() => {}
        () = tokio::time::sleep_until(deadline) => {}
    }
    connections.abort_all();
}

async fn answer(stream: tokio::net::TcpStream, config: Config, counters: Arc<Counters>) {
    let (read, mut write) = stream.into_split();
    let mut line = String::new();
    let reply = match BufReader::new(read).read_line(&mut line).await {
        Ok(_) => match parse_request(&line) {
            Some(n) => {
                tokio::time::sleep(config.delay).await;
                counters.served.fetch_add(1, Ordering::SeqCst);
                format!("{n} {}\n", page_body(n, config.body_size))
            }
            None => {
                counters.bad_requests.fetch_add(1, Ordering::SeqCst);
                format!("ERR expected `GET <number>`, got {:?}\n", line.trim_end())
            }
        },
        Err(_) => String::new(),
    };
    let _ = write.write_all(reply.as_bytes()).await;
    let _ = write.shutdown().await;
    counters.open.fetch_sub(1, Ordering::SeqCst);
}

fn parse_request(line: &str) -> Option<u64> {
    line.strip_prefix("GET ")?.trim_end().parse().ok()
}

/// The body the server sends for page `n`: `size` lowercase letters from a small
/// xorshift generator seeded by `n`. Checks compute it to know the right answer.
pub fn page_body(n: u64, size: usize) -> String {
    let mut state = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..size)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            char::from(b'a' + (state % 26) as u8)
        })
        .collect()
}

/// The whole line the server answers for page `n`, newline included.
pub fn expected_reply(n: u64, size: usize) -> String {
    format!("{n} {}\n", page_body(n, size))
}

/// Raises this process's soft limit on open files to its hard limit: a thousand
/// connections need two thousand descriptors (client and server ends), more than the
/// common soft default of 1,024.
pub fn raise_open_files_limit() {
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};

    fn fetch(addr: SocketAddr, request: &str) -> String {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut line = String::new();
        BufReader::new(stream).read_line(&mut line).unwrap();
        line
    }

    #[test]
    fn answers_after_the_delay_with_the_page() {
        let server = Server::start(Config::delay(Duration::from_millis(50)).body_size(10)).unwrap();
        let start = Instant::now();
        assert_eq!(fetch(server.addr(), "GET 3\n"), expected_reply(3, 10));
        assert!(start.elapsed() >= Duration::from_millis(50));
    }

    #[test]
    fn many_clients_wait_at_the_same_time() {
        let server = Server::start(Config::delay(Duration::from_millis(200))).unwrap();
        let addr = server.addr();
        let start = Instant::now();
        let threads: Vec<_> = (0..50)
            .map(|n| std::thread::spawn(move || fetch(addr, &format!("GET {n}\n"))))
            .collect();
        for (n, t) in threads.into_iter().enumerate() {
            assert_eq!(t.join().unwrap(), expected_reply(n as u64, 64));
        }
        // 50 requests of 200 ms in far less than 50 × 200 ms: the server waits for all at once.
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "{:?}",
            start.elapsed()
        );
        let stats = server.stats();
        assert_eq!(stats.served, 50);
        assert!(stats.peak_open > 1);
    }

    #[test]
    fn a_bad_request_gets_a_sentence() {
        let server = Server::start(Config::delay(Duration::ZERO)).unwrap();
        assert!(fetch(server.addr(), "HELLO\n").starts_with("ERR expected `GET <number>`"));
        assert_eq!(server.stats().bad_requests, 1);
    }

    #[test]
    fn stops_listening_when_dropped_and_after_its_budget() {
        let server = Server::start(Config::delay(Duration::ZERO).max_requests(1)).unwrap();
        let addr = server.addr();
        assert_eq!(fetch(addr, "GET 1\n"), expected_reply(1, 64));
        std::thread::sleep(Duration::from_millis(100));
        assert!(
            std::net::TcpStream::connect(addr).is_err(),
            "still listening after its budget"
        );
        drop(server);

        let server = Server::start(Config::delay(Duration::from_secs(60))).unwrap();
        let addr = server.addr();
        drop(server);
        assert!(
            std::net::TcpStream::connect(addr).is_err(),
            "still listening after drop"
        );
    }
}
