//! The pictures of chapter 08: one event loop on one thread, serving six tasks, drawn
//! from real runs of the reference solution watched by the exercise's stall detector.
//! Five tasks take turns doing 2 ms of work and waiting 25 ms on a timer; a heartbeat
//! asks to run every 10 ms; one task, `lookup`, also makes a 200 ms blocking lookup.
//!
//! - `08-event-loop.svg`: the lookup goes through `fetch` (`spawn_blocking`); the loop
//!   keeps serving everyone while it waits.
//! - `08-blocked-loop.svg`: the same run with `fetch_on_the_loop`, the mistake; for
//!   200 ms no other task runs, however ready.
//!
//! ```text
//! cargo run -q --release -p sol08-asyncio-and-tokio --example picture -- --out src/img
//! ```
//!
//! (`cargo xtask pictures` runs it with the book's other pictures.)

use std::future::Future;
use std::io;
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use asyncio_and_tokio::{
    Clock, LOOKUP_TAKES, PollRecord, STALL_THRESHOLD, StallDetector, fetch, fetch_on_the_loop, run,
};
use timeline::{Lane, State, Timeline};

const COMMAND: &str =
    "cargo run -q --release -p sol08-asyncio-and-tokio --example picture -- --out src/img";

/// CPU work per turn of a task: long enough to see.
const WORK: Duration = Duration::from_millis(2);
/// How long a task waits on its timer between turns.
const WAIT: Duration = Duration::from_millis(25);
/// Turns of each worker task.
const TURNS: usize = 8;
/// The heartbeat's period.
const BEAT: Duration = Duration::from_millis(10);

fn main() -> ExitCode {
    timeline::picture_main(draw)
}

/// Busy for `d` of real time: work that needs the thread, as parsing a page does.
fn work(d: Duration) {
    let start = Instant::now();
    while start.elapsed() < d {
        std::hint::spin_loop();
    }
}

/// When each task's timers were due, in the detector's nanoseconds: a task whose timer
/// is due is ready to run, whether or not the loop has noticed yet.
#[derive(Clone, Default)]
struct Dues(Arc<Mutex<Vec<(&'static str, u64)>>>);

impl Dues {
    /// Sleeps `d` on tokio's timer, noting when `task` is due to run again.
    async fn sleep(&self, task: &'static str, detector: &StallDetector, d: Duration) {
        let due = detector.now_ns() + u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((task, due));
        tokio::time::sleep(d).await;
    }

    /// The first time `task` was due in `after..=until`.
    fn first(&self, task: &str, after: u64, until: u64) -> Option<u64> {
        let dues = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        dues.iter()
            .filter(|(t, due)| *t == task && *due > after && *due <= until)
            .map(|(_, due)| *due)
            .min()
    }
}

/// One worker: `TURNS` turns of `WORK` then a `WAIT` on a timer; with `lookup`, one
/// lookup of record 7 after its second turn.
async fn worker<F: Future<Output = u64>>(
    name: &'static str,
    dues: Dues,
    detector: StallDetector,
    lookup: Option<fn(u64) -> F>,
) {
    for turn in 0..TURNS {
        work(WORK);
        if let (1, Some(lookup)) = (turn, lookup) {
            lookup(7).await;
        }
        dues.sleep(name, &detector, WAIT).await;
    }
}

/// Asks to run every `BEAT`, forever, like the stall detector's heartbeat.
async fn heartbeat(dues: Dues, detector: StallDetector) {
    loop {
        dues.sleep("heartbeat", &detector, BEAT).await;
    }
}

/// Runs the six tasks on a one-thread loop, watched; returns the detector, when the
/// timers were due, and the run's wall time.
fn watched_run<F: Future<Output = u64> + Send + 'static>(
    lookup: fn(u64) -> F,
) -> (StallDetector, Dues, Duration) {
    let detector = StallDetector::new(STALL_THRESHOLD);
    let dues = Dues::default();
    let (watching, noting) = (detector.clone(), dues.clone());
    let start = Instant::now();
    run(Clock::Real, async move {
        let w = &watching;
        let beat = tokio::spawn(w.watch("heartbeat", heartbeat(noting.clone(), w.clone())));
        let mut tasks = Vec::new();
        for name in ["task-1", "task-2", "lookup", "task-3", "task-4"] {
            let lookup = (name == "lookup").then_some(lookup);
            let task = worker(name, noting.clone(), w.clone(), lookup);
            tasks.push(tokio::spawn(w.watch(name, task)));
        }
        for task in tasks {
            task.await.expect("the picture's tasks do not panic");
        }
        beat.abort();
    });
    (detector, dues, start.elapsed())
}

/// One lane per task: polled; waiting on a timer or the blocking pool; ready (woken,
/// or its timer due) but not yet polled.
fn lanes(polls: &[PollRecord], dues: &Dues) -> Vec<Lane> {
    [
        "heartbeat",
        "task-1",
        "task-2",
        "lookup",
        "task-3",
        "task-4",
    ]
    .into_iter()
    .map(|name| {
        let mut lane = Lane::new(name);
        let mut idle_since: Option<u64> = None;
        for p in polls.iter().filter(|p| p.task == name) {
            let woken = p.ready_ns.unwrap_or(p.start_ns).min(p.start_ns);
            let ready = match idle_since {
                Some(since) => {
                    let due = dues.first(name, since, p.start_ns).unwrap_or(woken);
                    let ready = woken.min(due).max(since);
                    lane.push_span(since, ready, State::Sleeping);
                    ready
                }
                None => woken,
            };
            if p.start_ns > ready {
                lane.push_span(ready, p.start_ns, State::WaitingForGil);
            }
            lane.push_span(
                p.start_ns,
                p.end_ns.max(p.start_ns + 1),
                State::RunningWithoutGil,
            );
            idle_since = (!p.finished).then_some(p.end_ns);
        }
        lane
    })
    .collect()
}

/// How late the heartbeat ran at worst: from a due time to the poll that served it.
fn heartbeat_lateness(polls: &[PollRecord], dues: &Dues) -> Duration {
    let beats: Vec<&PollRecord> = polls.iter().filter(|p| p.task == "heartbeat").collect();
    let late = beats
        .windows(2)
        .filter_map(|w| {
            dues.first("heartbeat", w[0].end_ns, w[1].start_ns)
                .map(|due| w[1].start_ns - due)
        })
        .max()
        .unwrap_or(0);
    Duration::from_nanos(late)
}

fn picture(
    title: &str,
    file: &str,
    (detector, dues, took): (StallDetector, Dues, Duration),
    description: &str,
) -> Timeline {
    let polls = detector.polls();
    let longest = polls
        .iter()
        .max_by_key(|p| p.len())
        .expect("the tasks were polled");
    let late = heartbeat_lateness(&polls, &dues);
    let beats = polls.iter().filter(|p| p.task == "heartbeat").count();
    let caption = format!(
        "one thread, {:.0} ms in all; longest poll {:.1} ms ({}); heartbeat every {} ms, up to {:.1} ms late over {beats} beats",
        took.as_secs_f64() * 1e3,
        longest.len().as_secs_f64() * 1e3,
        longest.task,
        BEAT.as_millis(),
        late.as_secs_f64() * 1e3,
    );
    println!("{file}: {caption}");
    Timeline::new(title)
        .caption(caption)
        .description(format!(
            "{description} Drawn from a real run by `{COMMAND}`."
        ))
        .label(
            State::RunningWithoutGil,
            "being polled: running on the loop's one thread",
        )
        .label(State::WaitingForGil, "ready, waiting for the loop's thread")
        .label(
            State::Sleeping,
            "waiting (timer, blocking pool); costs the loop nothing",
        )
        .lanes(lanes(&polls, &dues))
}

fn draw(out: &Path) -> io::Result<()> {
    std::fs::create_dir_all(out)?;
    let lookup_ms = LOOKUP_TAKES.as_millis();

    let file = "08-event-loop.svg";
    let svg = picture(
        "One event loop, six tasks: a lookup on the blocking pool",
        file,
        watched_run(fetch),
        &format!(
            "Six tasks on a one-thread tokio event loop. Five take turns doing 2 ms of work and waiting \
             25 ms on a timer, and a heartbeat asks to run every 10 ms. The task called lookup also hands a \
             {lookup_ms} ms blocking lookup to spawn_blocking and waits for it like a timer: the loop goes \
             on polling the other tasks, one at a time."
        ),
    )
    .to_svg();
    std::fs::write(out.join(file), svg)?;

    let file = "08-blocked-loop.svg";
    let svg = picture(
        "The same loop with the lookup made on it: everyone waits",
        file,
        watched_run(fetch_on_the_loop),
        &format!(
            "The same six tasks, but the task called lookup makes its {lookup_ms} ms blocking lookup \
             inside its poll, on the loop's only thread. For those {lookup_ms} ms no other task is polled: \
             their timers have fired and they are ready, but they wait, and the heartbeat comes back late."
        ),
    )
    .to_svg();
    std::fs::write(out.join(file), svg)?;
    Ok(())
}
