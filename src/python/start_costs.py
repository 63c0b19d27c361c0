"""What it costs CPython to start a thread, and a process with each start method.

A batch of threads (or processes) that do nothing is started, then every one of them is
waited for; the figure is the batch's time divided by its size, the fastest of `--runs`
batches, as chapter 01 measures its Rust threads and child processes.

The start methods of multiprocessing:
- fork: the child is a copy of this process (the default on Linux before Python 3.14);
- forkserver: a server process, started once, forks each child (the default on Linux
  from Python 3.14); the server's own start is left out here by a first batch that is
  not measured, so the figure is what each further process costs;
- spawn: the child is a fresh interpreter that imports this program's main module (the
  default on macOS and Windows).
"""

import multiprocessing
import threading

import measure


def nothing():
    """The work of each thread or process: none."""


def start_threads(count):
    """Start `count` threads, then join them all."""
    threads = [threading.Thread(target=nothing) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def start_processes(context, count):
    """Start `count` processes with `context`'s start method, then join them all."""
    processes = [context.Process(target=nothing) for _ in range(count)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
        if p.exitcode != 0:
            raise RuntimeError(f"a child process ended with exit code {p.exitcode}")


def per_start(runs, batch, start):
    """The fastest of `runs` batches of `start(batch)`, divided by `batch`, in seconds."""
    (best,) = measure.best_of(runs, lambda: start(batch))
    return best / batch


if __name__ == "__main__":
    args = measure.arguments(__doc__, batch=20, methods="fork,forkserver,spawn")
    thread_s = per_start(args.runs, args.batch, start_threads)
    process_s = {}
    for method in args.methods.split(","):
        context = multiprocessing.get_context(method)
        start_processes(context, 1)  # not measured: starts the forkserver, warms the caches
        process_s[method] = per_start(
            args.runs, args.batch, lambda n, c=context: start_processes(c, n))
    measure.report(
        f"starting a thread, and a process per start method (batches of {args.batch})",
        {"batch": args.batch, "thread_s": thread_s, "process_s": process_s,
         "default_start_method": multiprocessing.get_start_method()},
        args.json,
    )
