"""Two CPU-bound threads with a tiny and a long switch interval.

The switch interval is how long a waiting thread waits before it asks the holder to drop
the GIL. At 0.1 ms the threads hand the GIL over thousands of times a second, and every
hand-off costs a wake-up of the other thread and caches refilled on the other core; at
50 ms they hardly switch at all.
"""

import sys

import measure
from cpu_threads import sequential, with_threads


def ratio_at(interval, n, runs):
    """Threads / sequential, with `sys.setswitchinterval(interval)`."""
    default = sys.getswitchinterval()
    sys.setswitchinterval(interval)
    try:
        seq, thr = measure.best_of(runs, lambda: sequential(n), lambda: with_threads(n))
    finally:
        sys.setswitchinterval(default)
    return thr / seq


if __name__ == "__main__":
    args = measure.arguments(__doc__, iterations=2_000_000, short=0.0001, long=0.05)
    measure.report(
        "switch interval 0.1 ms vs 50 ms, 2 CPU-bound threads / sequential",
        {"short_interval_s": args.short, "long_interval_s": args.long,
         "ratio_short": ratio_at(args.short, args.iterations, args.runs),
         "ratio_long": ratio_at(args.long, args.iterations, args.runs)},
        args.json,
    )
