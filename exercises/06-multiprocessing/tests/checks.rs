//! Checks for exercise 06. They are compiled against your crate and against the
//! reference solution; do not edit them.
//!
//! They come in five steps, in the order to write the code: the framing, the
//! worker's loop, starting and stopping workers, one job on one worker, and the pool
//! handing jobs to every worker at once. The workers they start are your
//! `ch06-worker` binary, whose loop is your `serve`. Every wait is bounded: a pool
//! that never answers is reported, and its workers are killed; it never hangs a check.

use std::collections::BTreeSet;
use std::io::{self, BufReader, Cursor, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use multiprocessing::{
    Ending, Job, JobError, Output, Pool, Reply, Worker, frame, gil_threads_map, serve,
};
use python_model::work::unmodelled;

/// How long one `Pool::new`, one `run` or one `map` may take before the check gives
/// up. The biggest map here is well under a second of CPU work.
const LIMIT: Duration = Duration::from_secs(20);

/// How long dropping a pool may take: killing a process and waiting for it is quick.
const DROP_LIMIT: Duration = Duration::from_secs(10);

/// Where to look when `map` or `run` never returns.
const NEVER_ANSWERS: &str = "It is waiting for a reply that will not come. Candidates: `frame::send` does not \
    end the line with a newline or does not flush it; `serve` does not answer a job (or leaves its reply \
    unflushed); `Worker::run` does not notice that a dead worker's output has ended (`frame::receive` gives \
    `Ok(None)`) and waits on.";

// step frames: `frame::send` and `frame::receive`, one message per line

#[test]
fn send_writes_one_flushed_line_per_message() {
    let mut rng = seeded("messages");
    for k in 0..20 {
        let reply = random_reply(&mut rng, k);
        let mut pipe = HeldUntilFlushed::default();
        frame::send(&mut pipe, &reply)
            .unwrap_or_else(|e| panic!("`frame::send` of {reply:?} failed: {e}"));
        assert!(
            pipe.held.is_empty(),
            "`frame::send` wrote {} byte(s) but did not flush them: on a pipe they would sit in a buffer \
             while the other side waits for the line. Look at `send`: flush after the newline.",
            pipe.held.len()
        );
        let text = String::from_utf8(pipe.passed).expect("JSON is UTF-8");
        let lines = text.matches('\n').count();
        assert!(
            text.ends_with('\n') && lines == 1,
            "`frame::send` of one message (its text field holds a newline: {:?}) wrote {lines} newline(s) \
             ({text:?}); expected exactly one, at the end. The reader splits messages at newlines, so a \
             message must be one line: compact JSON (not pretty-printed) escapes the newline inside a \
             string as `\\n`. Look at `send`.",
            reply.interval
        );
        let back: Reply = serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!("`frame::send` wrote {text:?}, which is not the message as JSON: {e}")
        });
        assert_eq!(
            back, reply,
            "`frame::send` wrote {text:?}, which reads back as another message"
        );
    }
}

#[test]
fn receive_reads_one_message_per_call_then_the_end() {
    let mut rng = seeded("messages");
    let replies: Vec<Reply> = (0..rng.usize(2..12))
        .map(|k| random_reply(&mut rng, k))
        .collect();
    let mut bytes = Vec::new();
    for reply in &replies {
        serde_json::to_writer(&mut bytes, reply).expect("a reply serializes");
        bytes.push(b'\n');
    }
    let mut input = BufReader::new(Cursor::new(bytes));
    for (k, reply) in replies.iter().enumerate() {
        match frame::receive::<Reply>(&mut input) {
            Ok(Some(got)) => assert_eq!(
                &got,
                reply,
                "message {k} of {}: `frame::receive` read another message than the one on that line. \
                 Look at `receive`: read one line per call.",
                replies.len()
            ),
            Ok(None) => panic!(
                "message {k} of {}: `frame::receive` said the input had ended, but {} more line(s) were \
                 waiting. Look at `receive`: read one line per call (a `read_line`), not the whole input.",
                replies.len(),
                replies.len() - k
            ),
            Err(e) => panic!(
                "message {k} of {}: `frame::receive` failed on a good line: {e}",
                replies.len()
            ),
        }
    }
    match frame::receive::<Reply>(&mut input) {
        Ok(None) => {}
        other => panic!(
            "after the last line, `frame::receive` gave {}; expected `Ok(None)`: the writer has closed its \
             end. Look at `receive`: reading 0 bytes means the end of the input.",
            describe(&other)
        ),
    }
}

#[test]
fn receive_reports_a_line_that_is_no_message() {
    let mut rng = seeded("bad lines");
    let junk = format!("no message {}", rng.u32(..));
    let job_line = serde_json::to_string(&Job::Cpu { iterations: 5 }).expect("a job serializes");
    for (line, what) in [
        (junk.clone(), "text that is no JSON"),
        (job_line, "a job, read as a reply"),
    ] {
        let mut input = BufReader::new(Cursor::new(format!("{line}\n")));
        match frame::receive::<Reply>(&mut input) {
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                if what.starts_with("text") {
                    assert!(
                        e.to_string().contains(&junk),
                        "`frame::receive` of the line {junk:?} failed with \"{e}\", which does not show the \
                         line: say what the line was, so whoever reads the error can see it."
                    );
                }
            }
            other => panic!(
                "`frame::receive::<Reply>` of one line of {what} ({line:?}) gave {}; expected an error of \
                 kind `InvalidData`. `Ok(None)` would read it as the end of the input. Look at `receive`.",
                describe(&other)
            ),
        }
    }
}

// step serve: `serve`, the worker's loop

#[test]
fn serve_answers_every_job_with_its_value_and_where_it_ran() {
    let mut rng = seeded("jobs");
    let jobs: Vec<Job> = (0..rng.usize(3..12))
        .map(|_| Job::Cpu {
            iterations: rng.u64(0..50_000),
        })
        .collect();
    let (result, output) = serve_in_process(&jobs);
    result.unwrap_or_else(|e| {
        panic!("`serve` returned the error \"{e}\" at the end of its input; expected Ok(()). Look at `serve`.")
    });
    let replies = read_replies(&output, "`serve`");
    assert_eq!(
        replies.len(),
        jobs.len(),
        "`serve` was given {} jobs and wrote {} replies; expected one reply per job, in order. Look at `serve`.",
        jobs.len(),
        replies.len()
    );
    for (i, (job, reply)) in jobs.iter().zip(&replies).enumerate() {
        let Job::Cpu { iterations } = *job else {
            unreachable!("CPU jobs only")
        };
        assert_eq!(
            reply.value,
            unmodelled(iterations),
            "reply {i} (to {job:?}) has the value {}; expected {}. Look at `serve`: run the job with `job.run`.",
            reply.value,
            unmodelled(iterations)
        );
        assert_eq!(
            reply.pid,
            std::process::id(),
            "reply {i} carries the pid {}, but `serve` ran in process {}: the reply must say which process \
             ran the job. Look at `serve`.",
            reply.pid,
            std::process::id()
        );
        let interval: timing::Interval = reply.interval.parse().unwrap_or_else(|e| {
            panic!(
                "reply {i} has the interval {:?}, which is not an `Interval` in its text form ({e}). Look at \
                 `serve`: measure the job with `Interval::measure` and send `interval.to_string()`.",
                reply.interval
            )
        });
        assert!(
            interval.end_ns >= interval.start_ns && interval.cpu_time_ns.is_some(),
            "reply {i} has the interval {interval:?}; expected one measured around the job with \
             `Interval::measure` (it has a CPU time). Look at `serve`."
        );
    }
}

#[test]
fn serve_runs_every_job_in_one_interpreter() {
    let jobs: Vec<Job> = (0..6)
        .map(|k| Job::Cpu {
            iterations: 1_000 * k,
        })
        .collect();
    let (result, output) = serve_in_process(&jobs);
    result.unwrap_or_else(|e| {
        panic!("`serve` returned the error \"{e}\"; expected Ok(()). Look at `serve`.")
    });
    let replies = read_replies(&output, "`serve`");
    let ids: BTreeSet<u64> = replies.iter().map(|r| r.interpreter.0).collect();
    assert_eq!(
        ids.len(),
        1,
        "`serve` ran its {} jobs in the interpreters {ids:?}; expected one interpreter for the worker's \
         whole life, as a `multiprocessing` worker process runs one. Look at `serve`: create the \
         `Interpreter` once, before the loop, and run every job in it.",
        replies.len()
    );
}

#[test]
fn serve_answers_each_job_before_it_reads_the_next() {
    let (jobs_in, input) = mpsc::channel::<Vec<u8>>();
    let (lines_out, replies) = mpsc::channel::<String>();
    let (done, result) = mpsc::channel();
    let name = thread::current().name().unwrap_or("check").to_string();
    thread::Builder::new()
        .name(name)
        .spawn(move || {
            let reader = BufReader::new(ChannelReader {
                from: input,
                bytes: Vec::new(),
                at: 0,
            });
            let _ = done.send(serve(
                reader,
                LinesOnFlush {
                    to: lines_out,
                    held: Vec::new(),
                },
            ));
        })
        .expect("the system can start one more thread");
    for k in 0..3u64 {
        let job = Job::Cpu {
            iterations: 10_000 + k,
        };
        let mut line = serde_json::to_vec(&job).expect("a job serializes");
        line.push(b'\n');
        let _ = jobs_in.send(line);
        match replies.recv_timeout(Duration::from_secs(10)) {
            Ok(text) => {
                let reply: Reply = serde_json::from_str(&text).unwrap_or_else(|e| {
                    panic!(
                        "`serve` answered job {k} with the line {text:?}, which is not a reply: {e}"
                    )
                });
                assert_eq!(
                    reply.value,
                    unmodelled(10_000 + k),
                    "`serve` answered job {k} with another job's value"
                );
            }
            Err(mpsc::RecvTimeoutError::Timeout) => panic!(
                "`serve` was sent job {k} and had not answered it 10 s later (the next job was not sent yet). \
                 A worker must answer each job as it comes: the pool sends the next one only after the reply. \
                 Candidates: `serve` reads until the end of its input before it runs anything, or its reply \
                 stays in a buffer that is never flushed (`frame::send` flushes)."
            ),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                match result.recv_timeout(Duration::from_secs(1)) {
                    Ok(Err(e)) => panic!(
                        "`serve` returned the error \"{e}\" after job {k}, before its input ended"
                    ),
                    _ => panic!(
                        "`serve` returned after job {k}, before its input ended, without answering it"
                    ),
                }
            }
        }
    }
    drop(jobs_in);
    match result.recv_timeout(Duration::from_secs(10)) {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            panic!("at the end of its input `serve` returned the error \"{e}\"; expected Ok(())")
        }
        Err(_) => panic!(
            "`serve` had not returned 10 s after its input ended; expected it to return Ok(()): the pool \
             closing a worker's stdin is how it says \"no more jobs\". Look at how `serve` reads the end."
        ),
    }
}

#[test]
fn serve_stops_at_a_line_that_is_no_job() {
    let input = format!(
        "this is no job\n{}\n",
        serde_json::to_string(&Job::Cpu { iterations: 7 }).expect("json")
    );
    let mut output = Vec::new();
    let result = bounded("`serve`", "Look at `serve`.", move || {
        let result = serve(BufReader::new(Cursor::new(input)), &mut output);
        (result, output)
    });
    match result {
        (Err(e), output) if e.kind() == io::ErrorKind::InvalidData => assert!(
            output.is_empty(),
            "after a line that is no job, `serve` went on and wrote {:?}; expected it to stop with the error",
            String::from_utf8_lossy(&output)
        ),
        (other, _) => panic!(
            "`serve` was given the line \"this is no job\" and returned {}; expected the `InvalidData` \
             error of `frame::receive`, passed on. Skipping the line would leave the pool waiting for a reply \
             forever, and `Ok(())` would read as a clean end. Look at `serve`.",
            match other {
                Ok(()) => "Ok(())".to_string(),
                Err(e) => format!("the error \"{e}\" (kind {:?})", e.kind()),
            }
        ),
    }
}

#[test]
fn the_worker_program_answers_on_its_pipes() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ch06-worker"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {}: {e}", env!("CARGO_BIN_EXE_ch06-worker")));
    let pid = child.id();
    let jobs = [Job::Cpu { iterations: 3 }, Job::Cpu { iterations: 30_000 }];
    {
        let mut stdin = child.stdin.take().expect("piped");
        for job in &jobs {
            let _ = writeln!(stdin, "{}", serde_json::to_string(job).expect("json"));
        }
    } // closing its stdin: no more jobs
    let output = bounded(
        "the worker program",
        "Look at `serve`: it returns once its input ends.",
        move || child.wait_with_output(),
    )
    .unwrap_or_else(|e| panic!("could not wait for the worker: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the worker program (`ch06-worker`, your `serve`) was sent {} jobs, then the end of its input, and \
         ended as: {}; expected exit code 0. Its stderr: {stderr:?}",
        jobs.len(),
        Ending::of(output.status)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        jobs.len(),
        "the worker program wrote {} line(s) on stdout for {} jobs: {stdout:?}. Every line on stdout is read as \
         a reply: write nothing else there (print to stderr with `eprintln!` to debug).",
        lines.len(),
        jobs.len()
    );
    for (job, line) in jobs.iter().zip(lines) {
        let reply: Reply = serde_json::from_str(line).unwrap_or_else(|e| {
            panic!("the worker program answered {job:?} with {line:?}, which is not a reply: {e}")
        });
        assert_eq!(
            reply.pid, pid,
            "the worker program's reply carries the pid {}, not its own {pid}",
            reply.pid
        );
    }
}

// step spawn: `Worker::spawn`, `Drop for Worker` and `Pool::new`

#[test]
fn a_pool_starts_its_workers_as_child_processes() {
    const WORKERS: usize = 3;
    let pool = start_pool(WORKERS);
    assert_eq!(
        pool.size(),
        WORKERS,
        "`Pool::new({WORKERS}, ..)` made a pool of {} workers",
        pool.size()
    );
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
    drop_within(pool);
    let zero = catch(|| Pool::new(0, worker_command).map(|p| p.size()));
    assert!(
        zero.is_err(),
        "`Pool::new(0, ..)` returned {zero:?}; expected a panic, as `multiprocessing.Pool(0)` raises \
         `ValueError`: a pool without workers would never run a job. Look at `Pool::new`."
    );
}

#[test]
fn dropping_the_pool_kills_and_reaps_every_worker() {
    let pool = start_pool(3);
    let pids = pool.pids();
    drop_within(pool);
    for pid in pids {
        assert_gone(pid, "after the pool was dropped, its worker");
    }
}

#[test]
fn a_worker_that_cannot_start_is_an_error_and_leaves_no_process() {
    let started = bounded("`Pool::new`", "Look at `Pool::new`.", || {
        catch(|| Pool::new(3, second_launch_fails).map(|p| p.pids()))
    });
    match started {
        Err(message) => panic!(
            "`Pool::new(3, ..)` panicked (\"{message}\") when its second worker could not start (no such program); expected \
             it to return that `io::Error`. Look at `Pool::new` and `Worker::spawn`: pass a failed start on \
             with `?`."
        ),
        Ok(Ok(pids)) => panic!(
            "`Pool::new(3, ..)` returned a pool {pids:?}, though its second worker could not start"
        ),
        Ok(Err(e)) => assert_eq!(
            e.kind(),
            io::ErrorKind::NotFound,
            "`Pool::new` returned the error \"{e}\"; expected the one from starting the missing program"
        ),
    }
    let left = children();
    assert!(
        left.is_empty(),
        "after `Pool::new` gave up, the worker it had started is still around: {}. The workers already \
         started must be stopped on the way out (dropping a `Worker` kills it and waits for it).",
        left.iter()
            .map(|(pid, state)| format!("pid {pid} (state {state})"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

// step run: `Worker::run`, one job on one worker, and what happens when the worker dies

#[test]
fn run_returns_the_workers_answer_to_one_job() {
    let mut rng = seeded("jobs");
    let mut worker = spawn_worker(worker_command);
    let pid = worker.pid();
    for _ in 0..5 {
        let index = rng.usize(..1000);
        let iterations = rng.u64(0..50_000);
        let (back, result) = run_within(worker, index, Job::Cpu { iterations });
        worker = back;
        match result {
            Ok(output) => {
                assert_eq!(
                    output.value,
                    unmodelled(iterations),
                    "`run` of job {index} returned another value"
                );
                assert_eq!(
                    output.pid, pid,
                    "`run` returned an output from pid {}; the worker is pid {pid}",
                    output.pid
                );
            }
            Err(e) => panic!(
                "`run({index}, Cpu {{ iterations: {iterations} }})` failed with `{e}`; the job does not crash its \
                 worker. {}",
                diagnose_crash(Job::Cpu { iterations })
            ),
        }
    }
    assert_eq!(
        worker.pid(),
        pid,
        "the worker was replaced though no job failed. Look at `Worker::run`."
    );
    drop_within(worker);
}

#[test]
fn a_crashed_worker_is_reported_with_its_job_and_replaced() {
    let mut rng = seeded("crashes");
    let code = rng.i32(2..100);
    let mut worker = spawn_worker(worker_command);
    for crash in [
        Job::Panic,
        Job::Abort,
        Job::Exit { code },
        Job::Exit { code: 0 },
    ] {
        let index = rng.usize(..1000);
        let old = worker.pid();
        let expected = match crash {
            Job::Panic => Ending::Exited(101),
            Job::Abort => Ending::Killed(libc::SIGABRT),
            Job::Exit { code } => Ending::Exited(code),
            Job::Cpu { .. } => unreachable!("crash jobs only"),
        };
        let (back, result) = run_within(worker, index, crash);
        worker = back;
        match result {
            Err(JobError::WorkerCrashed { job, pid, how }) => assert!(
                (job, pid, how) == (index, old, expected),
                "`run({index}, {crash:?})` reported job {job}, pid {pid}, a worker that {how}; expected job \
                 {index}, pid {old} (the worker that held it) and a worker that {expected}. Look at \
                 `Worker::run`: wait for the dead worker, and `Ending::of` its exit status says how it ended."
            ),
            Err(JobError::BadReply { why, .. }) => panic!(
                "`run({index}, {crash:?})` reported a bad reply (\"{why}\"); but the worker sent nothing: it \
                 died ({expected}). A worker whose output ends has died; that is `JobError::WorkerCrashed`, \
                 with how it ended. Look at `Worker::run`: `Ok(None)` from `frame::receive` is the end of \
                 its output."
            ),
            Ok(output) => panic!(
                "`run({index}, {crash:?})` returned the value {}; that job ends its worker. Look at `serve`: \
                 run the job itself with `job.run`.",
                output.value
            ),
        }
        assert_gone(old, "the crashed worker");
        assert_ne!(
            worker.pid(),
            old,
            "after its worker crashed, the `Worker` still has pid {old}; expected a fresh process in its \
             place. Look at `Worker::run`: replace the worker before returning the error."
        );
        assert_is_our_live_child(worker.pid());
        let (back, result) = run_within(worker, 7, Job::Cpu { iterations: 1_000 });
        worker = back;
        assert!(
            matches!(&result, Ok(o) if o.value == unmodelled(1_000)),
            "after a crash, the replacement worker answered a CPU job with {}. Look at `Worker::run`: \
             the replacement needs pipes of its own.",
            describe_result(&result)
        );
    }
    drop_within(worker);
}

#[test]
fn a_worker_that_died_before_its_job_is_reported_as_crashed() {
    let worker = spawn_worker(exits_at_once);
    let pid = worker.pid();
    // Once it is a zombie it has ended, and its stdin is closed: sending the job fails.
    let deadline = Instant::now() + Duration::from_secs(10);
    while stat(pid).is_some_and(|(state, _)| state != 'Z') && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(2));
    }
    let (worker, result) = run_within_or(
        worker,
        5,
        Job::Cpu { iterations: 10 },
        "Here the worker had already exited before the job was sent. Sending to a dead worker fails (a broken \
         pipe), and that failure means the worker is gone, as the end of its output does.",
    );
    match result {
        Err(JobError::WorkerCrashed {
            job: 5,
            pid: p,
            how: Ending::Exited(3),
        }) if p == pid => {}
        other => panic!(
            "the worker (pid {pid}) had already exited with code 3 before `run(5, ..)` sent it a job; `run` \
             returned {}; expected `JobError::WorkerCrashed {{ job: 5, pid: {pid}, how: Exited(3) }}`. Sending \
             to a dead worker fails (a broken pipe), and that failure means the worker is gone, as the end of \
             its output does. Look at `Worker::run`.",
            describe_result(&other)
        ),
    }
    assert_gone(pid, "the dead worker");
    drop_within(worker);
}

#[test]
fn a_worker_that_answers_nonsense_is_reported_and_replaced() {
    let worker = spawn_worker(answers_nonsense);
    let old = worker.pid();
    let (worker, result) = run_within(worker, 2, Job::Cpu { iterations: 10 });
    match &result {
        Err(JobError::BadReply { job: 2, pid, .. }) if *pid == old => {}
        other => panic!(
            "the worker (pid {old}) answered job 2 with the line \"this is no reply\"; `run` returned {}; \
             expected `JobError::BadReply {{ job: 2, pid: {old}, .. }}`. Look at `Worker::run`: \
             `frame::receive` gives an `InvalidData` error for a line that is no reply.",
            describe_result(other)
        ),
    }
    assert_ne!(
        worker.pid(),
        old,
        "after a bad reply the `Worker` still has pid {old}; expected a fresh worker"
    );
    assert_gone(
        old,
        "the worker that answered nonsense (it was still running, waiting for a job)",
    );
    drop_within(worker);
}

// step dispatch: `dispatch`, every worker busy at once and the results in job order

#[test]
fn results_are_correct_and_in_job_order() {
    let mut rng = seeded("jobs");
    // Every fourth job is long: on workers running side by side the short ones after
    // it finish first, so results collected as they come are out of order.
    let jobs: Vec<Job> = (0..rng.usize(16..40))
        .map(|k| Job::Cpu {
            iterations: if k % 4 == 0 {
                rng.u64(200_000..400_000)
            } else {
                rng.u64(0..20_000)
            },
        })
        .collect();
    let pool = start_pool(3);
    let (pool, results) = map_within(pool, &[]);
    assert!(
        results.is_empty(),
        "`map` of no jobs returned {} results",
        results.len()
    );
    let (pool, results) = map_within(pool, &jobs);
    assert_eq!(
        results.len(),
        jobs.len(),
        "`map` of {} jobs returned {} results, expected one per job. Look at `dispatch`.",
        jobs.len(),
        results.len()
    );
    let mut finished: Vec<(u64, usize)> = Vec::new();
    for (i, (job, result)) in jobs.iter().zip(&results).enumerate() {
        let Job::Cpu { iterations } = *job else {
            unreachable!("only CPU jobs here")
        };
        let expected = unmodelled(iterations);
        match result {
            Ok(output) if output.value == expected => finished.push((output.interval.end_ns, i)),
            Ok(output) => {
                let from = jobs
                    .iter()
                    .position(|j| matches!(*j, Job::Cpu { iterations } if unmodelled(iterations) == output.value));
                let whose = match from {
                    Some(k) => format!(
                        "that is the value of job {k}: results must come back in the order of the jobs"
                    ),
                    None => "that is no job's value".to_string(),
                };
                panic!(
                    "result {i} of {} ({job:?}): expected value {expected}, got {}; {whose}. Look at `dispatch`: \
                     put each result at its job's index, whatever order they finish in.",
                    jobs.len(),
                    output.value
                );
            }
            Err(err) => panic!(
                "result {i} of {} ({job:?}): expected value {expected}, got the error `{err}`, though no job here \
                 crashes its worker. {}",
                jobs.len(),
                diagnose_crash(*job)
            ),
        }
    }
    finished.sort_unstable();
    let out_of_order = finished
        .iter()
        .enumerate()
        .filter(|(k, (_, i))| k != i)
        .count();
    timing::report!(
        "{} jobs on 3 workers came back in job order, though {out_of_order} of them finished at another place than their number",
        jobs.len()
    );
    drop_within(pool);
}

#[test]
fn dispatch_keeps_every_worker_busy_at_once() {
    // More workers than the machine has cores, so that a thread per core is not a thread
    // per worker on any machine.
    let workers = (timing::available_cores() + 2).max(4);
    // About 20 ms of CPU each, so that all of them are still running when the last starts.
    let jobs = vec![
        Job::Cpu {
            iterations: 600_000
        };
        2 * workers
    ];
    let pool = start_pool(workers);
    let (pool, results) = map_within(pool, &jobs);
    let mut intervals = Vec::new();
    let mut pids = BTreeSet::new();
    for (i, result) in results.iter().enumerate() {
        match result {
            Ok(output) => {
                intervals.push(output.interval);
                pids.insert(output.pid);
            }
            Err(err) => panic!(
                "job {i} failed with `{err}`; no job here crashes. {}",
                diagnose_crash(jobs[i])
            ),
        }
    }
    let most = timing::max_overlap(&intervals);
    timing::report!(
        "{} jobs on a pool of {workers}: at most {most} ran at the same moment, on {} worker(s)",
        jobs.len(),
        pids.len()
    );
    let why = match most {
        0 | 1 => "the jobs ran one after another: `dispatch` waits for each reply before it sends the next job. \
                  One parent thread per worker lets every worker hold a job at once."
            .to_string(),
        k => format!(
            "only {k} of the {workers} workers ever held a job at once. Does `dispatch` start fewer threads than \
             the pool has workers (the machine's core count is not the pool's size), or hand each thread a \
             fixed share that finished early?"
        ),
    };
    assert!(
        most >= workers,
        "the workers' own clocks show at most {most} of the {} jobs running at the same moment on a pool of \
         {workers} workers; expected {workers}: {why} Look at `dispatch`.",
        jobs.len()
    );
    drop_within(pool);
}

#[test]
fn a_worker_crash_loses_no_other_result() {
    let mut rng = seeded("jobs");
    let mut jobs: Vec<Job> = (0..24)
        .map(|_| Job::Cpu {
            iterations: rng.u64(1..100_000),
        })
        .collect();
    for crash in [Job::Panic, Job::Abort, Job::Exit { code: 3 }] {
        jobs.insert(rng.usize(..=jobs.len()), crash);
    }
    let pool = start_pool(2);
    let mut seen: BTreeSet<u32> = pool.pids().into_iter().collect();
    let (pool, results) = map_within(pool, &jobs);
    assert_eq!(
        results.len(),
        jobs.len(),
        "`map` of {} jobs (3 of which crash their worker) returned {} results, expected one per job: a crash \
         must cost only the job the worker held. Look at `dispatch`.",
        jobs.len(),
        results.len()
    );
    for (i, (job, result)) in jobs.iter().zip(&results).enumerate() {
        match (*job, result) {
            (Job::Cpu { iterations }, Ok(output)) => {
                seen.insert(output.pid);
                assert_eq!(
                    output.value,
                    unmodelled(iterations),
                    "result {i} ({job:?}) has the wrong value. Look at `dispatch`: each result goes at its job's \
                     index, also when other jobs crashed."
                )
            }
            (Job::Cpu { .. }, Err(err)) => panic!(
                "job {i} ({job:?}) does not crash its worker, but its result is the error `{err}`: a crash must \
                 lose only the job the crashed worker held. {}",
                diagnose_crash(*job)
            ),
            (crash, Ok(output)) => panic!(
                "job {i} ({crash:?}) ends its worker, yet its result is a value ({}): expected \
                 `JobError::WorkerCrashed`. Look at `serve`: run the job itself.",
                output.value
            ),
            (crash, Err(JobError::WorkerCrashed { job, pid, .. })) => {
                seen.insert(*pid);
                assert_eq!(
                    *job, i,
                    "job {i} ({crash:?}) was reported as a crash of job {job}. Look at `dispatch`."
                );
            }
            (crash, Err(other)) => {
                panic!(
                    "job {i} ({crash:?}) was reported as `{other}`; expected `JobError::WorkerCrashed`"
                )
            }
        }
    }
    let now = pool.pids();
    seen.extend(now.iter().copied());
    for pid in &now {
        assert_is_our_live_child(*pid);
    }
    drop_within(pool);
    for pid in seen {
        assert_gone(
            pid,
            "after the pool was dropped, a worker it had (at the start, or as a replacement)",
        );
    }
}

// ANCHOR: headline
// timed: it compares run times (the timing crate)
#[test]
fn process_pool_beats_gil_threads_on_cpu_work() {
    const WORKERS: usize = 2;
    const JOBS: usize = 8;
    // One job takes 3 to 6 ms on one Python thread: one run of the GIL threads 25 to 50 ms.
    // Sized on the job alone, in an interpreter made once: starting one is not the job.
    let sizing = python_model::Interpreter::new();
    let iterations = timing::size_work(Duration::from_millis(3), |n| {
        sizing.run("sizing", |py| Job::Cpu { iterations: n }.run(py))
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
                    other => panic!("job {i} of the timed run: expected value {expected}, got {}", describe_result(other)),
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
// Workers and pools, every operation awaited for a bounded time.
// ---------------------------------------------------------------------------

/// The worker program: this crate's `ch06-worker` binary.
fn worker_command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ch06-worker"))
}

/// A "worker" that exits with code 3 before it reads anything.
fn exits_at_once() -> Command {
    let mut command = Command::new("sh");
    command.args(["-c", "exit 3"]);
    command
}

/// A "worker" that answers its first job with a line that is no reply, then waits.
fn answers_nonsense() -> Command {
    let mut command = Command::new("sh");
    command.args(["-c", "read job; echo 'this is no reply'; read job"]);
    command
}

/// The worker program, except the second time it is asked for: a program that does not exist.
fn second_launch_fails() -> Command {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    if CALLS.fetch_add(1, Ordering::SeqCst) == 1 {
        Command::new("/nonexistent/ch06-worker")
    } else {
        worker_command()
    }
}

/// `Worker::spawn(launch)`, bounded.
fn spawn_worker(launch: fn() -> Command) -> Worker {
    bounded("`Worker::spawn`", "Look at `Worker::spawn`.", move || {
        Worker::spawn(launch)
    })
    .unwrap_or_else(|err| panic!("could not start a worker: {err}. Look at `Worker::spawn`."))
}

/// `worker.run(index, &job)`, bounded; gives the worker back with the result.
fn run_within(worker: Worker, index: usize, job: Job) -> (Worker, Result<Output, JobError>) {
    run_within_or(worker, index, job, "")
}

/// `run_within`, and if `run` panics, a failure that says so, followed by `why`.
fn run_within_or(
    mut worker: Worker,
    index: usize,
    job: Job,
    why: &str,
) -> (Worker, Result<Output, JobError>) {
    let what = format!("`run({index}, {job:?})`");
    let ran = bounded(&what, NEVER_ANSWERS, move || {
        catch(move || {
            let result = worker.run(index, &job);
            (worker, result)
        })
    });
    ran.unwrap_or_else(|message| {
        panic!(
            "{what} panicked (\"{message}\"); `Worker::run` must not panic when its worker dies or misbehaves: it \
             returns a `JobError` and replaces the worker. {why}"
        )
    })
}

/// `Pool::new(workers, worker_command)`, bounded.
fn start_pool(workers: usize) -> Pool {
    bounded("`Pool::new`", "Look at `Pool::new` and `Worker::spawn`.", move || Pool::new(workers, worker_command))
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
    bounded(&what, NEVER_ANSWERS, move || {
        let results = pool.map(&owned);
        (pool, results)
    })
}

/// Drops `value` (a pool or a worker), bounded.
fn drop_within<T: Send + 'static>(value: T) {
    within(
        DROP_LIMIT,
        "dropping the pool's workers",
        "Dropping a `Worker` must kill its process before it waits for it: a worker waits for jobs for as long \
         as its stdin is open, and the parent's end of that pipe is only closed after `drop` returns.",
        move || drop(value),
    );
}

/// `within(LIMIT, …)`.
fn bounded<T: Send + 'static>(
    what: &str,
    look_at: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    within(LIMIT, what, look_at, work)
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
                "{what} had not finished after {} s, so the {killed} worker process(es) still running were killed. \
                 {look_at}",
                limit.as_secs()
            )
        }
    }
}

/// Why a CPU job came back as an error: the worker program is run alone on that one
/// job, outside the pool, and what it does there tells the worker's side from the pool's.
fn diagnose_crash(job: Job) -> String {
    let alone = Command::new(env!("CARGO_BIN_EXE_ch06-worker"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            if let Some(mut stdin) = child.stdin.take() {
                let _ = writeln!(stdin, "{}", serde_json::to_string(&job).expect("json"));
            }
            child.wait_with_output()
        });
    match alone {
        Ok(out) if out.status.success() && serde_json::from_slice::<Reply>(&out.stdout).is_ok() => {
            "The worker program, run alone on that job, answers it and exits cleanly, so the job was lost on the \
             pool's side. Candidates: `Worker::run` took a reply for a crash (or a crash for a reply), or a job \
             went to a worker that had just been replaced; `dispatch` ran it on a worker that another thread was \
             using. Look at `Worker::run` and `dispatch`."
                .to_string()
        }
        Ok(out) => format!(
            "The worker program, run alone on that one job, {} and wrote {:?} on stdout and {:?} on stderr: the \
             worker itself fails, before or while it answers. Look at `serve` (and the `serve` step's checks).",
            Ending::of(out.status),
            String::from_utf8_lossy(&out.stdout).trim_end(),
            String::from_utf8_lossy(&out.stderr).trim_end()
        ),
        Err(e) => format!("(The worker program could not be run alone to tell why: {e}.)"),
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

/// Every child process of this one, with its state letter (`Z`: a zombie).
fn children() -> Vec<(u32, char)> {
    let me = std::process::id();
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_string_lossy().parse::<u32>().ok())
        .filter_map(|pid| {
            stat(pid)
                .filter(|&(_, parent)| parent == me)
                .map(|(state, _)| (pid, state))
        })
        .collect()
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
    // A killed process takes a moment to die: give it that, then judge.
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        // SAFETY: signal 0 sends nothing; kill only checks that the process exists.
        let alive = unsafe { libc::kill(pid as libc::pid_t, 0) } == 0;
        let errno = io::Error::last_os_error().raw_os_error();
        if !alive && errno == Some(libc::ESRCH) {
            return;
        }
        match stat(pid) {
            Some(('Z', _)) => panic!(
                "{what} (pid {pid}) is a zombie: it ended but was never waited for, so it still holds its pid. Look \
                 at `Drop for Worker` and `Worker::run`: `wait()` for every worker that ends."
            ),
            _ if Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
            _ => panic!(
                "{what} (pid {pid}) is still running. Look at `Drop for Worker`: kill the worker, then wait for it."
            ),
        }
    }
}

/// Kills every live child process of this process and says how many there were.
fn kill_children() -> usize {
    let live: Vec<u32> = children()
        .into_iter()
        .filter(|&(_, state)| state != 'Z')
        .map(|(pid, _)| pid)
        .collect();
    for pid in &live {
        // SAFETY: kill(2) has no memory effects; the process is our unreaped child.
        unsafe { libc::kill(*pid as libc::pid_t, libc::SIGKILL) };
    }
    live.len()
}

// ---------------------------------------------------------------------------
// Pipes in a test tube: in-process stand-ins for a worker's stdin and stdout.
// ---------------------------------------------------------------------------

/// `serve` run in this process on `jobs`, bounded: its result and what it wrote.
fn serve_in_process(jobs: &[Job]) -> (io::Result<()>, Vec<u8>) {
    let mut input = Vec::new();
    for job in jobs {
        serde_json::to_writer(&mut input, job).expect("a job serializes");
        input.push(b'\n');
    }
    bounded(
        "`serve`",
        "Look at `serve`: it returns Ok(()) once `frame::receive` says the input has ended.",
        move || {
            let mut output = Vec::new();
            let result = serve(BufReader::new(Cursor::new(input)), &mut output);
            (result, output)
        },
    )
}

/// The replies in what `who` wrote, one per line.
fn read_replies(output: &[u8], who: &str) -> Vec<Reply> {
    String::from_utf8_lossy(output)
        .lines()
        .enumerate()
        .map(|(k, line)| {
            serde_json::from_str(line).unwrap_or_else(|e| {
                panic!("line {k} that {who} wrote, {line:?}, is not a `Reply` as JSON: {e}")
            })
        })
        .collect()
}

/// A writer that passes bytes on only when flushed, as a buffered pipe does.
#[derive(Default)]
struct HeldUntilFlushed {
    held: Vec<u8>,
    passed: Vec<u8>,
}

impl Write for HeldUntilFlushed {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.held.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.passed.append(&mut self.held);
        Ok(())
    }
}

/// A writer that sends what it holds on each flush: the far end of a worker's stdout.
struct LinesOnFlush {
    to: mpsc::Sender<String>,
    held: Vec<u8>,
}

impl Write for LinesOnFlush {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.held.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.held.is_empty() {
            let text = String::from_utf8_lossy(&std::mem::take(&mut self.held)).into_owned();
            let _ = self.to.send(text);
        }
        Ok(())
    }
}

/// A reader that blocks until the check sends it bytes: a worker's stdin.
struct ChannelReader {
    from: mpsc::Receiver<Vec<u8>>,
    bytes: Vec<u8>,
    at: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at == self.bytes.len() {
            match self.from.recv() {
                Ok(bytes) => (self.bytes, self.at) = (bytes, 0),
                Err(_) => return Ok(0), // the check closed it: end of input
            }
        }
        let n = buf.len().min(self.bytes.len() - self.at);
        buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

// ---------------------------------------------------------------------------
// Small things.
// ---------------------------------------------------------------------------

/// A random generator seeded from `CH06_SEED` if set, else at random; prints the seed.
fn seeded(what: &str) -> fastrand::Rng {
    let seed = std::env::var("CH06_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    println!("{what}: seed {seed} (run again with CH06_SEED={seed} to use the same ones)");
    fastrand::Rng::with_seed(seed)
}

/// A reply with random fields; its text field holds a newline and a quote.
fn random_reply(rng: &mut fastrand::Rng, k: usize) -> Reply {
    Reply {
        value: rng.u64(..),
        pid: rng.u32(..),
        interpreter: python_model::InterpreterId(rng.u64(..1000)),
        interval: format!("message {k}\nsecond \"line\" {}", rng.u32(..)),
    }
}

fn describe<T: std::fmt::Debug>(result: &io::Result<Option<T>>) -> String {
    match result {
        Ok(Some(value)) => format!("Ok(Some({value:?}))"),
        Ok(None) => "Ok(None)".to_string(),
        Err(e) => format!("the error \"{e}\" (kind {:?})", e.kind()),
    }
}

fn describe_result(result: &Result<Output, JobError>) -> String {
    match result {
        Ok(output) => format!("Ok with the value {}", output.value),
        Err(e) => format!("`{e}` ({e:?})"),
    }
}

/// Runs `f`, catching a panic: its message comes back as an `Err`, for the check to
/// say what it means (the panic itself is not printed, so the runner shows the
/// check's words). A `todo!()` is passed on as it is, printed, so that the runner
/// says which function is not written yet.
fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    fn text(payload: &(dyn std::any::Any + Send)) -> String {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    }
    let previous = std::sync::Arc::new(panic::take_hook());
    let printer = previous.clone();
    panic::set_hook(Box::new(move |info| {
        if text(info.payload()).contains("not yet implemented") {
            printer(info);
        }
    }));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(Box::new(move |info| previous(info)));
    result.map_err(|payload| {
        if text(&*payload).contains("not yet implemented") {
            panic::resume_unwind(payload);
        }
        text(&*payload)
    })
}
