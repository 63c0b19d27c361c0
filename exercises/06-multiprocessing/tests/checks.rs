//! Checks for exercise 06. They are compiled against your crate and against the
//! reference solution; do not edit them.
//!
//! The workers they start are your `ch06-worker` binary, whose loop is your `serve`.
//! Every wait on the pool is bounded: a pool that never answers is reported, and its
//! workers are killed, it never hangs a check.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::time::Duration;

use multiprocessing::{Ending, Job, JobError, Output, Pool, gil_threads_map};
use python_model::work::unmodelled;

/// How long one `Pool::new` or one `map` may take before the check gives up. The
/// biggest map here is under a second of CPU work.
const MAP_LIMIT: Duration = Duration::from_secs(20);

/// How long dropping a pool may take: killing a process and waiting for it is quick.
const DROP_LIMIT: Duration = Duration::from_secs(10);

/// Where to look when `map` never returns.
const NEVER_ANSWERS: &str = "A pool that never returns is usually waiting for a reply that will not come: \
    does `frame::send` end the line with a newline and flush it? Does `serve` answer every job and flush? \
    Does `Worker::run` notice the end of a crashed worker's output (`frame::receive` gives `Ok(None)`) \
    instead of waiting on?";

/// The worker program: this crate's `ch06-worker` binary.
fn worker_command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ch06-worker"))
}

/// A seed from `CH06_SEED`, or a fresh one; printed so a failure can be replayed.
fn seed() -> u64 {
    let seed = std::env::var("CH06_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    println!("seed {seed} (run again with CH06_SEED={seed} to send the same jobs)");
    seed
}

#[test]
fn results_are_correct_and_in_job_order() {
    let seed = seed();
    let mut rng = fastrand::Rng::with_seed(seed);
    let jobs: Vec<Job> = (0..rng.usize(30..60))
        .map(|_| Job::Cpu {
            // From nothing to about 10 ms: short and long jobs finish out of order.
            iterations: if rng.u8(..10) == 0 {
                0
            } else {
                rng.u64(1..300_000)
            },
        })
        .collect();
    let pool = start_pool(3);
    let (pool, results) = map_within(pool, &jobs);
    assert_eq!(
        results.len(),
        jobs.len(),
        "`map` of {} jobs (seed {seed}) returned {} results, expected one per job. Look at `dispatch`.",
        jobs.len(),
        results.len()
    );
    for (i, (job, result)) in jobs.iter().zip(&results).enumerate() {
        let Job::Cpu { iterations } = *job else {
            unreachable!("only CPU jobs here")
        };
        let expected = unmodelled(iterations);
        match result {
            Ok(output) if output.value == expected => {}
            Ok(output) => {
                let from = jobs
                    .iter()
                    .position(|j| matches!(*j, Job::Cpu { iterations } if unmodelled(iterations) == output.value));
                let whose = match from {
                    Some(k) => format!(
                        "that is the value of job {k}: results must come back in the order of the jobs"
                    ),
                    None => {
                        "that is no job's value: look at how `serve` runs a job (`job.run(py)`)"
                            .to_string()
                    }
                };
                panic!(
                    "result {i} of {} (seed {seed}, job {job:?}): expected value {expected}, got {}; {whose}. \
                     Look at `dispatch`: put each result at its job's index.",
                    jobs.len(),
                    output.value
                );
            }
            Err(err) => panic!(
                "result {i} of {} (seed {seed}, job {job:?}): expected value {expected}, got the error `{err}`, \
                 though no job here crashes its worker. Look at `serve` and `Worker::run`.",
                jobs.len()
            ),
        }
    }
    drop_within(pool);
}

#[test]
fn a_worker_crash_loses_no_other_result() {
    let seed = seed();
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut jobs: Vec<Job> = (0..24)
        .map(|_| Job::Cpu {
            iterations: rng.u64(1..100_000),
        })
        .collect();
    for crash in [Job::Panic, Job::Abort, Job::Exit { code: 3 }] {
        jobs.insert(rng.usize(..=jobs.len()), crash);
    }
    let pool = start_pool(2);
    let (pool, results) = map_within(pool, &jobs);
    assert_eq!(
        results.len(),
        jobs.len(),
        "`map` of {} jobs (3 of which crash their worker; seed {seed}) returned {} results, expected one per job: \
         a crash must cost only the job the worker held. Look at `Worker::run` and `dispatch`.",
        jobs.len(),
        results.len()
    );
    for (i, (job, result)) in jobs.iter().zip(&results).enumerate() {
        match (*job, result) {
            (Job::Cpu { iterations }, Ok(output)) => assert_eq!(
                output.value,
                unmodelled(iterations),
                "result {i} (seed {seed}, job {job:?}) has the wrong value. Look at `dispatch`: each result \
                 goes at its job's index, also when other jobs crashed."
            ),
            (Job::Cpu { .. }, Err(err)) => panic!(
                "job {i} (seed {seed}, {job:?}) does not crash its worker, but its result is the error `{err}`: \
                 a crash must lose only the job the crashed worker held. Look at `Worker::run`: after a crash, \
                 the replacement worker starts clean, and the next job goes to it."
            ),
            (crash, Ok(output)) => panic!(
                "job {i} (seed {seed}, {crash:?}) ends its worker, yet its result is a value ({}): expected \
                 `JobError::WorkerCrashed`. Look at `serve`: run the job itself with `job.run(py)`.",
                output.value
            ),
            (crash, Err(err)) => {
                let expected_how = match crash {
                    Job::Panic => Ending::Exited(101),
                    Job::Abort => Ending::Killed(libc::SIGABRT),
                    Job::Exit { code } => Ending::Exited(code),
                    Job::Cpu { .. } => unreachable!("matched above"),
                };
                match err {
                    JobError::WorkerCrashed { job, pid, how } => {
                        assert_eq!(
                            (*job, *how),
                            (i, expected_how),
                            "job {i} (seed {seed}, {crash:?}) was reported as `{err}`; expected job {i} and a worker \
                             that {expected_how}. Look at `Worker::run`: the job is the index `dispatch` passed in, \
                             and `Ending::of(status)` of the status `wait` gives says how the worker ended."
                        );
                        assert_ne!(
                            *pid,
                            std::process::id(),
                            "the crashed worker has the parent's pid: the job ran in the parent"
                        );
                    }
                    other => panic!(
                        "job {i} (seed {seed}, {crash:?}) was reported as `{other}`; expected \
                         `JobError::WorkerCrashed` with a worker that {expected_how}. Look at `Worker::run`: a \
                         worker whose output ended has crashed."
                    ),
                }
            }
        }
    }
    drop_within(pool);
}

#[test]
fn the_pool_keeps_working_after_a_crash() {
    const WORKERS: usize = 2;
    let pool = start_pool(WORKERS);
    let before = pool.pids();
    let crashes = [
        Job::Exit { code: 7 },
        Job::Panic,
        Job::Abort,
        Job::Exit { code: 0 },
    ];
    let (pool, results) = map_within(pool, &crashes);
    let mut crashed = Vec::new();
    for (i, (job, result)) in crashes.iter().zip(&results).enumerate() {
        match result {
            Err(JobError::WorkerCrashed {
                job: index, pid, ..
            }) if *index == i => crashed.push(*pid),
            Err(JobError::WorkerCrashed { job: index, .. }) => panic!(
                "job {i} ({job:?}) was reported as a crash of job {index}; expected the index of the job the \
                 worker held. Look at `Worker::run`."
            ),
            other => panic!(
                "job {i} ({job:?}) ends its worker (exit code 0 is a crash too, when the worker still held a \
                 job); expected `JobError::WorkerCrashed {{ job: {i}, .. }}`, got {other:?}. Look at `Worker::run`."
            ),
        }
    }
    let after = pool.pids();
    let distinct: BTreeSet<u32> = after.iter().copied().collect();
    assert!(
        after.len() == WORKERS && distinct.len() == WORKERS,
        "after 4 crashes the pool has the workers {after:?}; expected {WORKERS} distinct workers. Look at \
         `Worker::run`: replace a crashed worker with a fresh one."
    );
    for pid in &after {
        assert!(
            !before.contains(pid) && !crashed.contains(pid),
            "after every worker crashed, the pool still lists pid {pid} (before: {before:?}, crashed: {crashed:?}): \
             expected fresh workers. Look at `Worker::run`: after a crash, start a new worker in the old one's place."
        );
        assert_is_our_live_child(*pid);
    }
    for pid in &crashed {
        assert_gone(*pid, "a crashed worker");
    }
    let jobs: Vec<Job> = (1..=6)
        .map(|k| Job::Cpu {
            iterations: k * 10_000,
        })
        .collect();
    let (pool, results) = map_within(pool, &jobs);
    for (job, result) in jobs.iter().zip(&results) {
        let Job::Cpu { iterations } = *job else {
            unreachable!("only CPU jobs here")
        };
        match result {
            Ok(output) => {
                assert_eq!(
                    output.value,
                    unmodelled(iterations),
                    "after the crashes, {job:?} gave the wrong value. Look at `dispatch`."
                );
                assert!(
                    after.contains(&output.pid),
                    "after the crashes, {job:?} was answered by pid {}, which is not one of the pool's \
                     workers {after:?}",
                    output.pid
                );
            }
            Err(err) => panic!(
                "after the crashes, {job:?} failed with `{err}`; expected the replacement workers to run it. \
                 Look at `Worker::run`: the replacement needs its own pipes."
            ),
        }
    }
    drop_within(pool);
}

#[test]
fn workers_are_processes_with_their_own_interpreter() {
    const WORKERS: usize = 3;
    let pool = start_pool(WORKERS);
    let pids = pool.pids();
    let distinct: BTreeSet<u32> = pids.iter().copied().collect();
    assert_eq!(
        (pids.len(), distinct.len()),
        (WORKERS, WORKERS),
        "`Pool::new({WORKERS}, ..)` has the workers {pids:?}; expected {WORKERS} processes with distinct pids. \
         Look at `Pool::new`."
    );
    for pid in &pids {
        assert_ne!(
            *pid,
            std::process::id(),
            "a worker has the parent's pid: it is not a separate process"
        );
        assert_is_our_live_child(*pid);
    }
    let jobs: Vec<Job> = (0..30)
        .map(|k| Job::Cpu {
            iterations: 20_000 + k,
        })
        .collect();
    let mut interpreters: BTreeMap<u32, BTreeSet<u64>> = BTreeMap::new();
    let mut pool = pool;
    for _round in 0..2 {
        let results;
        (pool, results) = map_within(pool, &jobs);
        for (i, result) in results.iter().enumerate() {
            let output = result.as_ref().unwrap_or_else(|err| {
                panic!("job {i} failed with `{err}`; no job here crashes. Look at `serve`.")
            });
            assert!(
                pids.contains(&output.pid),
                "job {i} was answered as if by pid {}, which is not one of the pool's workers {pids:?}: \
                 the reply must carry the worker's own `std::process::id()`. Look at `serve`.",
                output.pid
            );
            interpreters
                .entry(output.pid)
                .or_default()
                .insert(output.interpreter.0);
        }
    }
    for (pid, ids) in &interpreters {
        assert_eq!(
            ids.len(),
            1,
            "worker {pid} ran its jobs in the interpreters {ids:?}; expected one interpreter for the worker's \
             whole life, as a worker process of `multiprocessing` runs one. Look at `serve`: create the \
             `Interpreter` once, before the loop, and run every job in it."
        );
    }
    drop_within(pool);
}

#[test]
fn no_worker_outlives_the_pool() {
    let pool = start_pool(3);
    let jobs = [
        Job::Cpu { iterations: 1_000 },
        Job::Panic,
        Job::Cpu { iterations: 2_000 },
    ];
    let (pool, results) = map_within(pool, &jobs);
    let mut pids: BTreeSet<u32> = pool.pids().into_iter().collect();
    for result in &results {
        match result {
            Ok(Output { pid, .. })
            | Err(JobError::WorkerCrashed { pid, .. } | JobError::BadReply { pid, .. }) => {
                pids.insert(*pid);
            }
        }
    }
    drop_within(pool);
    for pid in pids {
        assert_gone(pid, "after the pool was dropped, its worker");
    }
}

// ANCHOR: headline
// timed: it compares run times (the timing crate)
#[test]
fn process_pool_beats_gil_threads_on_cpu_work() {
    const WORKERS: usize = 2;
    const JOBS: usize = 8;
    // One job takes about 25 to 50 ms on one Python thread on this machine.
    let iterations = timing::size_work(Duration::from_millis(25), |n| {
        gil_threads_map(&[Job::Cpu { iterations: n }], 1)
    });
    let jobs = vec![Job::Cpu { iterations }; JOBS];
    let expected = unmodelled(iterations);
    let mut pool = Some(start_pool(WORKERS));
    let activity = timing::Activity::new();
    let mut pids_at_once = BTreeSet::new();
    timing::compare("8 CPU-bound jobs, process pool vs GIL threads")
        .baseline("2 threads under one GIL", || gil_threads_map(&jobs, WORKERS))
        .candidate("2 worker processes", || {
            let (back, results) = map_within(pool.take().expect("the pool is back"), &jobs);
            pool = Some(back);
            for (i, result) in results.iter().enumerate() {
                match result {
                    Ok(output) if output.value == expected => {
                        activity.record(output.interval); // measured in the worker
                        pids_at_once.insert(output.pid);
                    }
                    other => panic!("job {i} of the timed run: expected value {expected}, got {other:?}"),
                }
            }
        })
        .needs_cores(WORKERS)
        // Measured on the course's 2-core machine: 1.8x to 2.0x with both cores free.
        .expect_candidate_faster(1.3)
        .expect_parallel(&activity, WORKERS)
        .hint(
            "Look at `dispatch`: every worker must hold a job at the same time (one parent thread per \
             worker), and at `serve`: each worker runs the jobs in its own interpreter.",
        )
        .check();
    assert!(
        pids_at_once.len() >= WORKERS,
        "the timed runs were answered by the processes {pids_at_once:?}; expected {WORKERS} different worker \
         processes. Look at `dispatch`."
    );
    drop_within(pool.take().expect("the pool is back"));
}
// ANCHOR_END: headline

// ---------------------------------------------------------------------------
// A pool whose every operation is awaited for a bounded time.
// ---------------------------------------------------------------------------

/// `Pool::new(workers, worker_command)`, bounded.
fn start_pool(workers: usize) -> Pool {
    within(MAP_LIMIT, "`Pool::new`", "Look at `Pool::new` and `Worker::spawn`.", move || {
        Pool::new(workers, worker_command)
    })
    .unwrap_or_else(|err| {
        panic!(
            "could not start a pool of {workers} workers ({}): {err}. Look at `Pool::new` and `Worker::spawn`.",
            env!("CARGO_BIN_EXE_ch06-worker")
        )
    })
}

/// `pool.map(jobs)`, bounded; gives the pool back with the results.
fn map_within(mut pool: Pool, jobs: &[Job]) -> (Pool, Vec<Result<Output, JobError>>) {
    let owned = jobs.to_vec();
    let what = format!("`map` of {} jobs", jobs.len());
    within(MAP_LIMIT, &what, NEVER_ANSWERS, move || {
        let results = pool.map(&owned);
        (pool, results)
    })
}

/// Drops `pool`, bounded.
fn drop_within(pool: Pool) {
    within(
        DROP_LIMIT,
        "dropping the pool",
        "Dropping a `Worker` must kill its process (`child.kill()`) before it waits for it: a worker \
         waits for jobs for as long as its stdin is open.",
        move || drop(pool),
    );
}

/// Runs `work` on a helper thread and waits at most `limit` for it. On a time-out,
/// kills every child process of this process (a parent blocked on a worker then
/// wakes up) and fails, naming `what`. A panic inside `work` is passed on as it is.
fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    look_at: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    match timing::bounded(limit, work) {
        Ok(value) => value,
        Err(timing::StillRunning) => {
            let killed = kill_children();
            panic!(
                "{what} had not finished after {} s, so the {killed} worker process(es) still running were \
                 killed. {look_at}",
                limit.as_secs()
            )
        }
    }
}

// ---------------------------------------------------------------------------
// Processes, seen from outside: /proc and kill(pid, 0).
// ---------------------------------------------------------------------------

/// The state letter and parent pid of process `pid`, from `/proc/<pid>/stat`.
fn stat(pid: u32) -> Option<(char, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command name, which ends with the last ')': the state, then the parent's pid.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let parent = fields.next()?.parse().ok()?;
    Some((state, parent))
}

/// Fails unless `pid` is a running child process of this one.
fn assert_is_our_live_child(pid: u32) {
    match stat(pid) {
        Some(('Z', _)) => panic!(
            "worker {pid} is a zombie (it ended and was never waited for); expected it running"
        ),
        Some((_, parent)) => assert_eq!(
            parent,
            std::process::id(),
            "worker {pid} is not a child of this process (its parent is {parent}). Look at `Worker::spawn`."
        ),
        None => panic!("worker {pid} is not running. Look at `Worker::spawn` and `serve`."),
    }
}

/// Fails unless `pid` no longer exists: ended and reaped (`kill(pid, 0)` fails with ESRCH).
fn assert_gone(pid: u32, what: &str) {
    // SAFETY: signal 0 sends nothing; kill only checks that the process exists.
    let alive = unsafe { libc::kill(pid as libc::pid_t, 0) } == 0;
    let errno = std::io::Error::last_os_error().raw_os_error();
    if !alive && errno == Some(libc::ESRCH) {
        return;
    }
    match stat(pid) {
        Some(('Z', _)) => panic!(
            "{what} (pid {pid}) is a zombie: it ended but was never waited for, so it still holds its pid. \
             Look at `Drop for Worker` and `Worker::run`: `wait()` for every worker that ends."
        ),
        _ => panic!(
            "{what} (pid {pid}) is still running. Look at `Drop for Worker`: kill the worker, then wait for it."
        ),
    }
}

/// Kills every live child process of this process, found through `/proc`, and says
/// how many there were.
fn kill_children() -> usize {
    let me = std::process::id();
    let mut killed = 0;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Some((state, parent)) = stat(pid)
            && parent == me
            && state != 'Z'
        {
            // SAFETY: kill(2) has no memory effects; the process is our unreaped child.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            killed += 1;
        }
    }
    killed
}
