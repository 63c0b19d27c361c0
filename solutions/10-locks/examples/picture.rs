//! The picture of chapter 10: an RLock taken 3 deep by one thread while another thread
//! waits for it, drawn from a real run of the reference solution's `RLock`.
//!
//! ```text
//! cargo run -q --release -p sol10-locks --example picture -- --out src/img
//! ```
//!
//! (`cargo xtask pictures` runs it with the book's other pictures.)

use std::io;
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use locks::RLock;
use timeline::{Lane, State, Timeline};

const FILE: &str = "10-rlock.svg";
const COMMAND: &str = "cargo run -q --release -p sol10-locks --example picture -- --out src/img";

/// How long the owner works at each level before going deeper or giving a level back.
const STEP: Duration = Duration::from_millis(4);
const DEPTH: usize = 3;

fn main() -> ExitCode {
    timeline::picture_main(draw)
}

/// The owner takes the lock at `depth` and below, working `STEP` before and after each
/// deeper level; returns each level's (acquired, released) times, outermost first.
fn nested(rlock: &RLock, depth: usize, held: &mut Vec<(u64, u64)>, taken: &mpsc::Sender<()>) {
    rlock.acquire();
    let at = held.len();
    held.push((timing::monotonic_ns(), 0));
    let _ = taken.send(());
    thread::sleep(STEP);
    if depth > 1 {
        nested(rlock, depth - 1, held, taken);
        thread::sleep(STEP);
    }
    held[at].1 = timing::monotonic_ns();
    rlock
        .release()
        .expect("the owner releases what it acquired");
}

fn draw(out: &Path) -> io::Result<()> {
    let rlock = Arc::new(RLock::new());
    let start_ns = timing::monotonic_ns();
    let (taken, is_taken) = mpsc::channel();
    let owner = {
        let rlock = Arc::clone(&rlock);
        thread::spawn(move || {
            let mut held = Vec::new();
            nested(&rlock, DEPTH, &mut held, &taken);
            held
        })
    };
    is_taken
        .recv()
        .map_err(|_| io::Error::other("the owner thread ended early"))?;
    let other = {
        let rlock = Arc::clone(&rlock);
        thread::spawn(move || {
            thread::sleep(STEP / 2);
            let asked_ns = timing::monotonic_ns();
            let cpu_before = timing::thread_cpu_ns();
            rlock.acquire();
            let got_ns = timing::monotonic_ns();
            let cpu = timing::thread_cpu_ns()
                .zip(cpu_before)
                .map_or(0, |(after, before)| after.saturating_sub(before));
            thread::sleep(STEP);
            let done_ns = timing::monotonic_ns();
            let _ = rlock.release();
            (asked_ns, got_ns, done_ns, cpu)
        })
    };
    let held = owner
        .join()
        .map_err(|_| io::Error::other("the owner thread panicked"))?;
    let (asked_ns, got_ns, done_ns, cpu_ns) = other
        .join()
        .map_err(|_| io::Error::other("the other thread panicked"))?;

    let at = |ns: u64| ns.saturating_sub(start_ns);
    let ms = |ns: u64| at(ns) as f64 / 1e6;
    let last_release = held[0].1;
    let facts = format!(
        "the other thread got it {:.2} ms after the owner's last release, and used {:.3} ms \
         of CPU waiting",
        (got_ns.saturating_sub(last_release)) as f64 / 1e6,
        cpu_ns as f64 / 1e6
    );
    let names = ["owner, level 1", "owner, level 2", "owner, level 3"];
    let lanes = held
        .iter()
        .zip(names)
        .map(|(&(from, to), name)| Lane::new(name).span(at(from), at(to), State::RunningWithoutGil))
        .chain([Lane::new("other thread")
            .span(at(asked_ns), at(got_ns), State::Waiting)
            .span(at(got_ns), at(done_ns), State::RunningWithoutGil)]);
    let svg = Timeline::new("An RLock taken 3 deep, and a thread waiting for it")
        .caption(facts.clone())
        .description(format!(
            "One thread acquires an RLock, and while holding it acquires it twice more, one \
             lane per level; each level is released in reverse order. Another thread asks \
             for the lock just after the first acquire and sleeps on the condition variable \
             through all three levels: the first two releases only lower the count, and only \
             the third, which frees the lock, wakes it. Then it holds the lock. {facts}."
        ))
        .label(State::RunningWithoutGil, "holds the RLock")
        .label(State::Waiting, "waiting for the RLock (asleep, no CPU)")
        .lanes(lanes)
        .to_svg();
    std::fs::create_dir_all(out)?;
    let path = out.join(FILE);
    std::fs::write(&path, svg)?;
    println!("{}: {facts}", path.display());
    for (level, (from, to)) in held.iter().enumerate() {
        println!(
            "  owner level {}: held {:.1} to {:.1} ms",
            level + 1,
            ms(*from),
            ms(*to)
        );
    }
    println!(
        "  other thread: asked {:.1} ms, got it {:.1} ms, released {:.1} ms",
        ms(asked_ns),
        ms(got_ns),
        ms(done_ns)
    );
    println!("(regenerate with `{COMMAND}`)");
    Ok(())
}
