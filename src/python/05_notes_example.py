"""Chapter 05: the notes' threading example, timed, and how often its output order holds.

Part 1 runs the notes' program as the notes give it (two threads, each sleeping 2 s)
and prints how long it took: about 2 s, not 4, because `time.sleep` releases the GIL.

Part 2 runs the same two threads many times with short sleeps and counts the orders
their lines came in. `Thread.start()` returns only once the new thread runs, and that
thread keeps the GIL until its sleep releases it, so `Starting Thread-1` practically
always comes first. Equal sleeps end microseconds apart, so the order of the two
`Finished` lines is up to the operating system's scheduler.

    python3 src/python/05_notes_example.py [--runs N]
"""

import sys
import threading
import time


def task(name, seconds, out):
    out.append(f"Starting {name}")
    time.sleep(seconds)  # Simulates I/O operation
    out.append(f"Finished {name}")


def notes_program(seconds, out):
    thread1 = threading.Thread(target=task, args=("Thread-1", seconds, out))
    thread2 = threading.Thread(target=task, args=("Thread-2", seconds, out))
    thread1.start()
    thread2.start()
    thread1.join()
    thread2.join()
    out.append("All threads completed!")


def main():
    runs = 500
    if "--runs" in sys.argv:
        runs = int(sys.argv[sys.argv.index("--runs") + 1])
    print(f"Python {sys.version.split()[0]}")

    out = []
    start = time.perf_counter()
    notes_program(2, out)
    took = time.perf_counter() - start
    print("\n".join(out))
    print(f"part 1: two threads sleeping 2 s each took {took:.2f} s in all")

    orders = {}
    for _ in range(runs):
        out = []
        notes_program(0.002, out)
        starting = tuple(line for line in out if line.startswith("Starting"))
        finished = tuple(line for line in out if line.startswith("Finished"))
        key = ("Thread-1 starts first" if starting[0] == "Starting Thread-1" else "Thread-2 starts first",
               "Thread-1 finishes first" if finished[0] == "Finished Thread-1" else "Thread-2 finishes first")
        orders[key] = orders.get(key, 0) + 1
    print(f"part 2: {runs} runs with equal sleeps of 2 ms")
    for (starts, finishes), count in sorted(orders.items(), key=lambda kv: -kv[1]):
        print(f"  {starts}, {finishes}: {count} runs")


if __name__ == "__main__":
    main()
