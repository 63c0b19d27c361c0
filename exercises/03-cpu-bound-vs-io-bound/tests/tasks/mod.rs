//! The tasks the checks classify. Each one is built (files written, servers started,
//! feeder threads waiting) before it is measured, so that only the task itself is
//! timed, and each one knows the class it must get and the CPU share it is designed
//! to have. Work is counted in CPU time, not in wall time, so that a task that has
//! to share its core with another program still does the same work.
//!
//! The solution's `classify` example measures the same tasks for the book's table.

#![allow(dead_code)] // the checks and the example each use part of it

use std::any::Any;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::Barrier;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use cpu_bound_vs_io_bound::Class;
use cpu_bound_vs_io_bound::clocks;

/// What a task leaves behind for the caller to drop after the measurement (a server,
/// a temporary folder), so that tearing it down is not timed.
pub type Leftovers = Box<dyn Any + Send>;

/// One task of the mix, ready to run.
pub struct Task {
    /// What it does, in a few words.
    pub name: String,
    /// The class it must get.
    pub expected: Class,
    /// The CPU share (CPU time over the time neither running nor queued for a CPU)
    /// the task is designed to have. A run outside it did not go as designed (the
    /// machine was too busy, the file was evicted from the cache) and proves nothing.
    pub designed: RangeInclusive<f64>,
    /// The task itself.
    pub run: Box<dyn FnOnce() -> Leftovers + Send>,
}

/// Shares of a task that computes all the time.
pub const COMPUTES: RangeInclusive<f64> = 0.9..=1.0;
/// Shares of a task that waits all the time.
pub const WAITS: RangeInclusive<f64> = 0.0..=0.1;
/// Shares of a task that does a fair amount of both.
pub const BOTH: RangeInclusive<f64> = 0.3..=0.7;

/// Computes until the calling thread has had `cpu` more CPU time, and returns a number
/// that depends on every step (so that the compiler cannot skip the loop).
pub fn burn(cpu: Duration) -> u64 {
    let start = clocks::thread_cpu();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    loop {
        for i in 0..2_000u64 {
            x = std::hint::black_box(x.rotate_left(5) ^ i).wrapping_mul(0x0100_0000_01b3);
        }
        if clocks::thread_cpu().saturating_sub(start) >= cpu {
            return x;
        }
    }
}

/// Computes for `cpu` of CPU time and waits for nothing.
pub fn spin(cpu: Duration) -> Task {
    Task {
        name: format!("compute for {} ms of CPU time", cpu.as_millis()),
        expected: Class::CpuBound,
        designed: COMPUTES,
        run: Box::new(move || Box::new(burn(cpu))),
    }
}

/// Sleeps for `wait`, like Python's `time.sleep`: waits for a timer, computes nothing.
pub fn sleep(wait: Duration) -> Task {
    Task {
        name: format!("sleep {} ms", wait.as_millis()),
        expected: Class::IoBound,
        designed: WAITS,
        run: Box::new(move || {
            thread::sleep(wait);
            Box::new(())
        }),
    }
}

/// Computes for `cpu`, then sleeps for `wait`.
pub fn spin_then_sleep(cpu: Duration, wait: Duration) -> Task {
    Task {
        name: format!(
            "compute {} ms, then sleep {} ms",
            cpu.as_millis(),
            wait.as_millis()
        ),
        expected: Class::Mixed,
        designed: BOTH,
        run: Box::new(move || {
            let x = burn(cpu);
            thread::sleep(wait);
            Box::new(x)
        }),
    }
}

/// Bytes of the file the file tasks read.
pub const FILE_SIZE: usize = 16 << 20;

/// Reads a file that was just written, and so sits in the operating system's page
/// cache, over and over until the thread has had `cpu` of CPU time. No disk is
/// involved: every `read` copies bytes from memory.
pub fn cached_file(cpu: Duration) -> Task {
    let (dir, path) = scratch_file(FILE_SIZE);
    read_whole(&path); // make sure every page is in the cache
    Task {
        name: format!(
            "read a {} MiB file in the page cache, again and again for {} ms of CPU time",
            FILE_SIZE >> 20,
            cpu.as_millis()
        ),
        expected: Class::CpuBound,
        designed: COMPUTES,
        run: Box::new(move || {
            let start = clocks::thread_cpu();
            let mut passes = 0u64;
            while passes == 0 || clocks::thread_cpu().saturating_sub(start) < cpu {
                read_whole(&path);
                passes += 1;
            }
            Box::new((dir, passes))
        }),
    }
}

/// Reads a file of `FILE_SIZE` bytes once, right after telling the kernel to drop it
/// from the page cache (`posix_fadvise(POSIX_FADV_DONTNEED)`), so that the read goes
/// to the disk. How long the disk takes depends on the machine, so no check relies on
/// this task; the book's table shows it.
pub fn uncached_file() -> Task {
    let (dir, path) = scratch_file(FILE_SIZE);
    Task {
        name: format!("read a {} MiB file from the disk, once", FILE_SIZE >> 20),
        expected: Class::Mixed,
        designed: 0.0..=1.0,
        run: Box::new(move || {
            evict(&path);
            read_whole(&path);
            Box::new(dir)
        }),
    }
}

/// Reads a named pipe (a FIFO: a file that another thread writes into) until it is
/// closed, while a feeder thread writes `chunks` chunks of 64 KiB, one every `every`.
/// The reader waits in `read` for each chunk: reading a file can wait too, when the
/// data is not there yet.
pub fn slow_fifo(chunks: usize, every: Duration) -> Task {
    let dir = tempfile::tempdir().expect("a temporary folder for the FIFO");
    let path = dir.path().join("slow.fifo");
    make_fifo(&path);
    let feeder = {
        let path = path.clone();
        thread::Builder::new()
            .name("fifo-feeder".into())
            .spawn(move || {
                // Opening a FIFO for writing waits until a reader opens it: the feeder
                // starts when the task does.
                let mut fifo = File::options()
                    .write(true)
                    .open(&path)
                    .expect("the feeder opens the FIFO");
                let chunk = vec![b'x'; 64 << 10];
                for _ in 0..chunks {
                    thread::sleep(every);
                    fifo.write_all(&chunk)
                        .expect("the feeder writes to the FIFO");
                }
            })
            .expect("the system can start one more thread")
    };
    Task {
        name: format!(
            "read a FIFO fed {} KiB every {} ms, {} times",
            64,
            every.as_millis(),
            chunks
        ),
        expected: Class::IoBound,
        designed: WAITS,
        run: Box::new(move || {
            let mut fifo = File::open(&path).expect("the task opens the FIFO");
            let mut buffer = vec![0u8; 64 << 10];
            let mut total = 0;
            loop {
                match fifo.read(&mut buffer).expect("the task reads the FIFO") {
                    0 => break,
                    n => total += n,
                }
            }
            assert_eq!(total, chunks * (64 << 10), "the FIFO delivered every byte");
            Box::new((dir, feeder))
        }),
    }
}

/// Fetches `pages` pages, one after the other, from a loopback server that answers
/// each request after `delay`, and checks every answer.
pub fn loopback(pages: usize, delay: Duration) -> Task {
    let server = start_server(delay, pages);
    Task {
        name: format!(
            "fetch {pages} pages from a server that answers after {} ms",
            delay.as_millis()
        ),
        expected: Class::IoBound,
        designed: WAITS,
        run: Box::new(move || {
            for n in 0..pages {
                fetch(&server, n);
            }
            Box::new(server)
        }),
    }
}

/// Fetches `pages` pages from a loopback server that answers after `delay`, and after
/// each one computes a hash of it for `cpu` of CPU time.
pub fn fetch_then_hash(pages: usize, delay: Duration, cpu: Duration) -> Task {
    let server = start_server(delay, pages);
    Task {
        name: format!(
            "fetch {pages} pages ({} ms wait each), hash each for {} ms of CPU time",
            delay.as_millis(),
            cpu.as_millis()
        ),
        expected: Class::Mixed,
        designed: BOTH,
        run: Box::new(move || {
            let mut hash = 0u64;
            for n in 0..pages {
                let page = fetch(&server, n);
                hash ^= page.bytes().fold(burn(cpu), |h, b| {
                    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
                });
            }
            Box::new((server, hash))
        }),
    }
}

/// How long the checks wait for a server's answer before giving up.
const ANSWER_LIMIT: Duration = Duration::from_secs(10);

fn start_server(delay: Duration, pages: usize) -> loopback::Server {
    loopback::Server::start(
        loopback::Config::delay(delay)
            .body_size(1024)
            .max_requests(pages)
            .lifetime(Duration::from_secs(60)),
    )
    .expect("the loopback server starts on 127.0.0.1")
}

fn fetch(server: &loopback::Server, n: usize) -> String {
    let started = Instant::now();
    let mut stream = TcpStream::connect(server.addr()).expect("connect to the loopback server");
    stream
        .set_read_timeout(Some(ANSWER_LIMIT))
        .expect("set a read timeout");
    stream
        .write_all(format!("GET {n}\n").as_bytes())
        .expect("send a request");
    let mut line = String::new();
    BufReader::new(stream)
        .read_line(&mut line)
        .expect("read the answer");
    let body = loopback::page_body(n as u64, server.config().body_size);
    assert_eq!(
        line,
        format!("{n} {body}\n"),
        "the loopback server answered page {n} wrongly after {:?}",
        started.elapsed()
    );
    line
}

fn scratch_file(size: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder for the file");
    let path = dir.path().join("data.bin");
    let block: Vec<u8> = (0..1 << 20).map(|i: u32| (i * 7 + i / 251) as u8).collect();
    let mut file = File::create(&path).expect("create the file");
    for _ in 0..size / block.len() {
        file.write_all(&block).expect("write the file");
    }
    file.sync_all().expect("flush the file to the disk");
    (dir, path)
}

fn read_whole(path: &Path) -> usize {
    let mut file = File::open(path).expect("open the file");
    let mut buffer = vec![0u8; 64 << 10];
    let mut total = 0;
    loop {
        match file.read(&mut buffer).expect("read the file") {
            0 => return total,
            n => total += n,
        }
    }
}

fn evict(path: &Path) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let file = File::open(path).expect("open the file");
        // SAFETY: a valid open descriptor; the call only advises the kernel.
        unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
    }
    #[cfg(not(target_os = "linux"))]
    let _ = path;
}

fn make_fifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(path.as_os_str().as_bytes()).expect("a path without NUL");
    // SAFETY: `name` is a valid NUL-terminated path.
    let rc = unsafe { libc::mkfifo(name.as_ptr(), 0o600) };
    assert_eq!(
        rc,
        0,
        "mkfifo {} failed: {}",
        path.display(),
        std::io::Error::last_os_error()
    );
}

/// Pins the calling thread to one CPU, starts a thread that computes on that same CPU
/// until `work` is done, and runs `work`. Where pinning is not allowed, the busy
/// thread still runs, on whichever CPU it gets.
pub fn beside_a_busy_thread_on_the_same_core<T>(work: impl FnOnce() -> T) -> T {
    let cpu = first_allowed_cpu();
    if let Some(cpu) = cpu {
        pin_to(cpu);
    }
    let stop = AtomicBool::new(false);
    let started = Barrier::new(2);
    thread::scope(|scope| {
        scope.spawn(|| {
            if let Some(cpu) = cpu {
                pin_to(cpu);
            }
            started.wait();
            while !stop.load(Ordering::Relaxed) {
                std::hint::black_box(burn(Duration::from_millis(1)));
            }
        });
        // Stops the busy thread however `work` ends, a panic included: the scope waits
        // for it.
        let _stop = StopOnDrop(&stop);
        started.wait();
        // Let the busy thread settle on the CPU before the task starts.
        thread::sleep(Duration::from_millis(10));
        work()
    })
}

struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

fn first_allowed_cpu() -> Option<usize> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: a zeroed cpu_set_t is an empty set; sched_getaffinity fills it.
        let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        // SAFETY: `set` is a valid cpu_set_t of the size passed.
        let rc = unsafe { libc::sched_getaffinity(0, std::mem::size_of_val(&set), &mut set) };
        if rc != 0 {
            return None;
        }
        // SAFETY: CPU_ISSET reads the set within its size.
        (0..libc::CPU_SETSIZE as usize).find(|&cpu| unsafe { libc::CPU_ISSET(cpu, &set) })
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

fn pin_to(cpu: usize) {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: a zeroed cpu_set_t is an empty set; CPU_SET adds one CPU within it.
        let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        unsafe { libc::CPU_SET(cpu, &mut set) };
        // SAFETY: `set` is a valid cpu_set_t; 0 means the calling thread.
        unsafe { libc::sched_setaffinity(0, std::mem::size_of_val(&set), &set) };
    }
    #[cfg(not(target_os = "linux"))]
    let _ = cpu;
}
