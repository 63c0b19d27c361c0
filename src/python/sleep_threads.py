"""Twenty blocking waits of 0.1 s, first one after the other, then one thread each.

`time.sleep` releases the GIL while it waits, so the twenty threads wait together:
the whole batch takes about one wait instead of twenty.
"""

import threading
import time

import measure


def sequential(count, wait):
    """Wait `count` times, one after the other."""
    for _ in range(count):
        time.sleep(wait)


def with_threads(count, wait):
    """Start `count` threads that each wait once, then wait for all of them."""
    threads = [threading.Thread(target=time.sleep, args=(wait,)) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    args = measure.arguments(__doc__, count=20, wait=0.1)
    seq, thr = measure.best_of(
        args.runs,
        lambda: sequential(args.count, args.wait),
        lambda: with_threads(args.count, args.wait),
    )
    measure.report(
        "20 blocking waits of 0.1 s: 20 threads / sequential",
        {"sequential_s": seq, "threads_s": thr, "ratio": thr / seq},
        args.json,
    )
