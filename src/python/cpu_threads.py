"""Two CPU-bound tasks, first one after the other, then on two threads.

Only the thread holding the GIL runs Python, so the two threads take turns instead of
running side by side: two threads take about as long as one thread doing both tasks.
"""

import threading

import measure


def cpu_task(n):
    """Pure Python arithmetic: no I/O, so the GIL is never released voluntarily."""
    x = 0
    for i in range(n):
        x = (x * 31 + i) % 1000003
    return x


def sequential(n, tasks=2):
    """Run the tasks one after the other on this thread."""
    for _ in range(tasks):
        cpu_task(n)


def with_threads(n, tasks=2):
    """Run each task on its own thread and wait for all of them."""
    threads = [threading.Thread(target=cpu_task, args=(n,)) for _ in range(tasks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    args = measure.arguments(__doc__, iterations=3_000_000)
    seq, thr = measure.best_of(
        args.runs,
        lambda: sequential(args.iterations),
        lambda: with_threads(args.iterations),
    )
    measure.report(
        "2 CPU-bound tasks: 2 threads / sequential",
        {"sequential_s": seq, "threads_s": thr, "ratio": thr / seq},
        args.json,
    )
