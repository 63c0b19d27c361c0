"""Chapter 13: CPU-bound Python on sub-interpreters, on CPython 3.11, 3.12 or 3.13.

PEP 734's public module, `concurrent.interpreters`, is new in 3.14. Older versions have
the machinery it builds on in a private module meant for CPython's own tests:
`_xxsubinterpreters` (3.11, 3.12) or `_interpreters` (3.13). Its `create()` makes a
sub-interpreter, and `run_string()` runs code in it on the calling thread. On 3.11 every
sub-interpreter shares the main interpreter's GIL; from 3.12 (PEP 684) the module gives
each one a GIL of its own. This script times the same CPU-bound loop four ways, each the fastest of a few
interleaved rounds:

- one task on the main interpreter;
- two tasks one after the other on the main interpreter (the sequential baseline);
- two tasks on two threads of the main interpreter (one GIL);
- two tasks on two threads, each running in a sub-interpreter of its own (a GIL each).

Private modules change without notice: this is a measurement, not a way to write
programs.

    /path/to/python3.12 src/python/13_subinterpreters.py [--rounds N]
"""

import sys
import threading
import time

try:
    import _interpreters as subinterpreters  # 3.13
except ImportError:
    try:
        import _xxsubinterpreters as subinterpreters  # 3.12
    except ImportError:
        sys.exit(f"Python {sys.version.split()[0]} has no sub-interpreter module (3.11 to 3.13 needed)")

TURNS = 3_000_000
CODE = f"""
x = 1
for i in range({TURNS}):
    x = (x * 31 + i) % 1000003
"""


def on_main():
    exec(CODE, {})


def timed(run):
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def sequential():
    on_main()
    on_main()


def threads_one_gil():
    ts = [threading.Thread(target=on_main) for _ in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def make_interpreters_run():
    ids = [subinterpreters.create() for _ in range(2)]

    def run():
        ts = [threading.Thread(target=subinterpreters.run_string, args=(i, CODE)) for i in ids]
        for t in ts:
            t.start()
        for t in ts:
            t.join()

    return run


def main():
    rounds = 5
    if "--rounds" in sys.argv:
        rounds = int(sys.argv[sys.argv.index("--rounds") + 1])
    interpreters_run = make_interpreters_run()
    versions = [("1 task, main interpreter", on_main),
                ("2 tasks, one after the other", sequential),
                ("2 tasks, 2 threads, one GIL", threads_one_gil),
                ("2 tasks, 2 sub-interpreters, a GIL each", interpreters_run)]
    best = {name: float("inf") for name, _ in versions}
    for _ in range(rounds):
        for name, run in versions:
            best[name] = min(best[name], timed(run))
    base = best["2 tasks, one after the other"]
    print(f"Python {sys.version.split()[0]}, module {subinterpreters.__name__}, "
          f"{TURNS} turns per task, fastest of {rounds} rounds")
    for name, _ in versions:
        print(f"  {name:<42} {best[name] * 1000:7.0f} ms   {best[name] / base:.2f} of sequential")


if __name__ == "__main__":
    main()
