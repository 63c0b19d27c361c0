"""Two CPU-bound tasks, first one after the other, then in two processes.

Each process has its own interpreter and its own GIL, so on two free cores the two
processes really run at the same time: about half the sequential time, plus the cost of
starting the processes. (multiprocessing's default start method is used: fork on Linux
before Python 3.14.)
"""

import multiprocessing

import measure
from cpu_threads import cpu_task, sequential


def with_processes(n, tasks=2):
    """Run each task in its own process and wait for all of them."""
    processes = [multiprocessing.Process(target=cpu_task, args=(n,)) for _ in range(tasks)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()


if __name__ == "__main__":
    args = measure.arguments(__doc__, iterations=3_000_000)
    seq, proc = measure.best_of(
        args.runs,
        lambda: sequential(args.iterations),
        lambda: with_processes(args.iterations),
    )
    measure.report(
        "2 CPU-bound tasks: 2 processes / sequential",
        {"sequential_s": seq, "processes_s": proc, "ratio": proc / seq,
         "start_method": multiprocessing.get_start_method()},
        args.json,
    )
