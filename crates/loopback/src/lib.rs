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
//! A check can also make the server awkward: answer each page after a delay of its own
//! ([`Config::spread`]), so replies arrive in another order than asked; hold every answer
//! until several requests are open at once ([`Config::meeting`]), which proves on any
//! machine that a client really had them in flight together; or misbehave
//! ([`Behaviour`]: stay silent, hang up, cut a reply short), so a client's error paths
//! are exercised.
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

/// What the server does with a request once it has read it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Behaviour {
    /// Answers the page after its delay (the default).
    #[default]
    Answers,
    /// Never answers: keeps the connection open, silent, until the server stops. A
    /// client without a timeout waits for ever.
    Silent,
    /// Closes the connection without a word.
    HangsUp,
    /// Sends the first half of the reply line, without its newline, and closes.
    CutsOff,
}

/// Hold every answer until `wanted` requests are open at the same moment, or until
/// `patience` has passed since the first request arrived (see [`Config::meeting`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meeting {
    /// How many requests must be open at once.
    pub wanted: usize,
    /// How long the first request waits for company, at most; later requests wait no
    /// longer than that same deadline.
    pub patience: Duration,
}

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
    /// Up to this much more delay for some pages than others ([`Config::delay_of`]).
    pub spread: Duration,
    /// Answers held until several requests are open at once, if set.
    pub meeting: Option<Meeting>,
    /// What it does with a request.
    pub behaviour: Behaviour,
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
            spread: Duration::ZERO,
            meeting: None,
            behaviour: Behaviour::Answers,
        }
    }

    /// The same, with page `n` answered after `delay + spread × s(n)`, where `s(n)` is a
    /// share between 0 and 1 scattered by `n`: pages asked together are answered in
    /// another order than asked.
    #[must_use]
    pub fn spread(mut self, spread: Duration) -> Config {
        self.spread = spread;
        self
    }

    /// The same, holding every answer until `wanted` requests are open at the same moment
    /// (then each is answered after its delay), or until `patience` has passed since the
    /// first request. A client that really keeps `wanted` requests in flight meets on any
    /// machine, however busy; one that sends them one at a time never gets past one
    /// ([`Stats::peak_open`]), and pays `patience` once.
    #[must_use]
    pub fn meeting(mut self, wanted: usize, patience: Duration) -> Config {
        self.meeting = Some(Meeting { wanted, patience });
        self
    }

    /// The same, doing `behaviour` with every request.
    #[must_use]
    pub fn behaviour(mut self, behaviour: Behaviour) -> Config {
        self.behaviour = behaviour;
        self
    }

    /// How long the server waits before it answers page `n`.
    pub fn delay_of(&self, n: u64) -> Duration {
        let share = u32::try_from(scatter(n) % 1001).unwrap_or(0);
        self.delay + self.spread * share / 1000
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

/// A number scattered by `n`, the same on every run.
fn scatter(n: u64) -> u64 {
    n.wrapping_add(0x632B_E59B_D9B4_E019)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(29)
}

/// Where the server's meeting stands: met, and the deadline set by the first request.
#[derive(Default)]
struct Gate {
    met: watch::Sender<bool>,
    deadline: std::sync::OnceLock<tokio::time::Instant>,
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
    let gate = Arc::new(Gate::default());
    while accepted < config.max_requests {
        tokio::select! {
            result = listener.accept() => {
                let Ok((stream, _)) = result else { continue };
                accepted += 1;
                let open = counters.open.fetch_add(1, Ordering::SeqCst) + 1;
                counters.peak_open.fetch_max(open, Ordering::SeqCst);
                if let Some(meeting) = config.meeting {
                    gate.deadline.get_or_init(|| tokio::time::Instant::now() + meeting.patience);
                    if open >= meeting.wanted {
                        gate.met.send_replace(true);
                    }
                }
                connections.spawn(answer(stream, config.clone(), Arc::clone(&counters), Arc::clone(&gate)));
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

async fn answer(
    stream: tokio::net::TcpStream,
    config: Config,
    counters: Arc<Counters>,
    gate: Arc<Gate>,
) {
    let (read, mut write) = stream.into_split();
    let mut line = String::new();
    let reply = match BufReader::new(read).read_line(&mut line).await {
        Ok(_) => match parse_request(&line) {
            Some(n) => {
                if config.meeting.is_some() {
                    let mut met = gate.met.subscribe();
                    let deadline = gate.deadline.get().copied().unwrap_or_else(tokio::time::Instant::now);
                    tokio::select! {
                        _ = met.wait_for(|met| *met) => {}
                        () = tokio::time::sleep_until(deadline) => {}
                    }
                }
                match config.behaviour {
                    Behaviour::Answers | Behaviour::CutsOff => {
                        tokio::time::sleep(config.delay_of(n)).await;
                        let whole = format!("{n} {}\n", page_body(n, config.body_size));
                        if config.behaviour == Behaviour::CutsOff {
                            whole[..whole.len() / 2].to_string()
                        } else {
                            counters.served.fetch_add(1, Ordering::SeqCst);
                            whole
                        }
                    }
                    // Until the server stops, which aborts this task.
                    Behaviour::Silent => std::future::pending().await,
                    Behaviour::HangsUp => String::new(),
                }
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
    fn a_spread_answers_pages_in_another_order_than_asked() {
        let config = Config::delay(Duration::from_millis(10)).spread(Duration::from_millis(40));
        let delays: Vec<Duration> = (0..20).map(|n| config.delay_of(n)).collect();
        assert!(delays.iter().all(|d| *d >= Duration::from_millis(10) && *d <= Duration::from_millis(50)));
        assert!(delays.windows(2).any(|w| w[0] > w[1]), "{delays:?}");
        assert!(delays.windows(2).any(|w| w[0] < w[1]), "{delays:?}");
    }

    #[test]
    fn a_meeting_holds_answers_until_enough_requests_are_open() {
        let server = Server::start(Config::delay(Duration::ZERO).meeting(3, Duration::from_secs(20))).unwrap();
        let addr = server.addr();
        let start = Instant::now();
        let threads: Vec<_> = (0..3)
            .map(|n| std::thread::spawn(move || fetch(addr, &format!("GET {n}\n"))))
            .collect();
        for (n, t) in threads.into_iter().enumerate() {
            assert_eq!(t.join().unwrap(), expected_reply(n as u64, 64));
        }
        assert!(start.elapsed() < Duration::from_secs(10));
        assert_eq!(server.stats().peak_open, 3);

        // One at a time never meets: the first waits out the patience, the rest do not wait.
        let server = Server::start(Config::delay(Duration::ZERO).meeting(3, Duration::from_millis(300))).unwrap();
        let start = Instant::now();
        for n in 0..3 {
            assert_eq!(fetch(server.addr(), &format!("GET {n}\n")), expected_reply(n, 64));
        }
        let took = start.elapsed();
        assert!(took >= Duration::from_millis(300) && took < Duration::from_secs(10), "{took:?}");
        assert_eq!(server.stats().peak_open, 1);
    }

    #[test]
    fn a_misbehaving_server_is_silent_hangs_up_or_cuts_off() {
        let server = Server::start(Config::delay(Duration::ZERO).behaviour(Behaviour::HangsUp)).unwrap();
        assert_eq!(fetch(server.addr(), "GET 1\n"), "");
        let server = Server::start(Config::delay(Duration::ZERO).behaviour(Behaviour::CutsOff)).unwrap();
        let line = fetch(server.addr(), "GET 1\n");
        assert!(!line.is_empty() && !line.ends_with('\n') && expected_reply(1, 64).starts_with(&line));
        let server = Server::start(Config::delay(Duration::ZERO).behaviour(Behaviour::Silent)).unwrap();
        let mut stream = std::net::TcpStream::connect(server.addr()).unwrap();
        stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        stream.write_all(b"GET 1\n").unwrap();
        let mut line = String::new();
        let error = BufReader::new(stream).read_line(&mut line).unwrap_err();
        assert!(matches!(error.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut));
        drop(server);
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
