"""Chapter 04: watch two CPU-bound threads take turns holding the GIL.

Each thread spins for a second and notes every moment the running thread changes.
The gaps between changes are the turns: about one switch interval each (5 ms by
default), because a waiting thread asks for the GIL only after a whole interval.

    python3 src/python/04_turns.py [--interval SECONDS]
"""

import sys
import threading
import time

log = []  # (when, who): a line each time the running thread changes


def spin(name, seconds=1.0):
    end = time.perf_counter() + seconds
    while (now := time.perf_counter()) < end:
        if not log or log[-1][1] != name:
            log.append((now, name))


def main():
    if "--interval" in sys.argv:
        sys.setswitchinterval(float(sys.argv[sys.argv.index("--interval") + 1]))
    print(f"Python {sys.version.split()[0]}, switch interval {sys.getswitchinterval()} s")
    threads = [threading.Thread(target=spin, args=(name,)) for name in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    turns = sorted(later[0] - earlier[0] for earlier, later in zip(log, log[1:]))
    print(f"{len(turns)} turns, median {turns[len(turns) // 2] * 1000:.2f} ms")


if __name__ == "__main__":
    main()
