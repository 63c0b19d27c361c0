"""Chapter 02: one waiter for three tables, then three waiters.

Part 1 is concurrency on one thread: each table's service is a generator, and one
waiter takes turns between them in a round-robin loop, on a virtual clock (ticks).
It prints the same log as the Rust exercise's `one_waiter` snapshot.

Part 2 times the same three tables with real work (each tick is a little
arithmetic): one waiter, three waiters on threads, three waiters in processes.

    python3 src/python/02_waiters.py
"""

import multiprocessing
import sys
import threading
import time
from collections import deque

MEAL = [("takes the order", 2), ("brings the drinks", 1),
        ("brings the food", 3), ("brings the bill", 1)]
TABLES = ["table 1", "table 2", "table 3"]


# ANCHOR: round_robin
def service(table):
    """One table's service: hands out one step at a time, then pauses."""
    for what, ticks in MEAL:
        yield what, ticks


def one_waiter(tables):
    """One waiter, one thread: a step for one table, then on to the next table."""
    turns = deque((table, service(table)) for table in tables)
    clock = 0
    while turns:
        table, steps = turns.popleft()
        step = next(steps, None)
        if step is None:
            continue  # this table is done: its turn is dropped
        what, ticks = step
        print(f"t={f'{clock}..{clock + ticks}':<7} waiter 1  {table}: {what}")
        clock += ticks
        turns.append((table, steps))
# ANCHOR_END: round_robin


# Part 2: real work. One tick is TURNS rounds of arithmetic, nothing to wait for.
TURNS = 250_000


def cook(ticks):
    x = 0
    for i in range(ticks * TURNS):
        x = (x * 31 + i) % 1_000_003
    return x


def serve_table(table):
    for _what, ticks in MEAL:
        cook(ticks)


def timed(run):
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def one_waiter_real():
    for table in TABLES:  # the order does not change the total work
        serve_table(table)


# ANCHOR: three_waiters
def three_waiters(kind):
    def run():
        waiters = [kind(target=serve_table, args=(t,)) for t in TABLES]
        for w in waiters:
            w.start()  # start all three ...
        for w in waiters:
            w.join()   # ... before waiting for any
    return run
# ANCHOR_END: three_waiters


if __name__ == "__main__":
    one_waiter(TABLES)
    print()
    # Interleaved, so that a neighbour's burst of work slows all three alike; each
    # figure is the fastest of its runs (a pause on the machine only ever adds time).
    runs = {"one": [], "threads": [], "processes": []}
    for _ in range(5):
        runs["one"].append(timed(one_waiter_real))
        runs["threads"].append(timed(three_waiters(threading.Thread)))
        runs["processes"].append(timed(three_waiters(multiprocessing.Process)))
    one, threads, processes = (min(runs[k]) for k in ("one", "threads", "processes"))
    print(f"one waiter               {one:.2f} s")
    print(f"three waiters, threads   {threads:.2f} s  ({one / threads:.2f}x)")
    print(f"three waiters, processes {processes:.2f} s  ({one / processes:.2f}x)")
    version = ".".join(map(str, sys.version_info[:3]))
    print(f"(CPython {version}, start method {multiprocessing.get_start_method()}; "
          f"fastest of 5 interleaved runs each)")
