"""Chapter 09's I/O race through multiprocessing: 20 waits of 50 ms, one after the other,
then with `multiprocessing.Pool(10)`, once per start method.

Each pool is made the way a program makes it, `with context.Pool(10) as pool:
pool.map(...)`, and timed whole: starting its ten worker processes, handing them the
waits, collecting the results and shutting the pool down. A wait is `time.sleep`, which
stands for any blocking call (a socket read, a disk read) that keeps a worker idle.
"""

import multiprocessing
import time

import measure


def wait(seconds):
    """One blocking wait, in a worker process."""
    time.sleep(seconds)
    return seconds


def sequential(count, seconds):
    """All the waits one after the other, in this process."""
    for _ in range(count):
        wait(seconds)


def with_pool(context, processes, count, seconds):
    """All the waits through a fresh pool of `processes` workers started with `context`."""
    with context.Pool(processes) as pool:
        done = pool.map(wait, [seconds] * count)
    if len(done) != count:
        raise RuntimeError(f"the pool returned {len(done)} results for {count} waits")


if __name__ == "__main__":
    args = measure.arguments(
        __doc__, processes=10, count=20, wait=0.05, methods="fork,forkserver,spawn")
    (sequential_s,) = measure.best_of(1, lambda: sequential(args.count, args.wait))
    pool_s = {}
    for method in args.methods.split(","):
        context = multiprocessing.get_context(method)
        (pool_s[method],) = measure.best_of(
            args.runs,
            lambda c=context: with_pool(c, args.processes, args.count, args.wait))
    measure.report(
        f"{args.count} waits of {args.wait * 1e3:.0f} ms: sequential vs Pool({args.processes})",
        {"processes": args.processes, "count": args.count, "wait_s": args.wait,
         "sequential_s": sequential_s, "pool_s": pool_s,
         "default_start_method": multiprocessing.get_start_method()},
        args.json,
    )
