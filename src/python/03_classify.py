"""Measure a few tasks' wall time and CPU time, and classify them: chapter 03 in Python.

Wall time is time.perf_counter(); CPU time is time.thread_time() (this thread only) and,
for comparison, time.process_time() (every thread of the process). On Linux the time a
thread waited for a CPU is the second number of /proc/thread-self/schedstat.

    python3 src/python/03_classify.py
"""

import os
import socket
import tempfile
import threading
import time

TASK = 0.15  # seconds


def queued():
    """Seconds this thread has waited in a run queue for a CPU (0.0 where unknown)."""
    try:
        with open("/proc/thread-self/schedstat") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


# ANCHOR: measure
def measure(task):
    """Run task() once; return its wall, thread CPU, process CPU and queued seconds."""
    q, cpu, proc = queued(), time.thread_time(), time.process_time()
    start = time.perf_counter()
    task()
    wall = time.perf_counter() - start
    return (wall, time.thread_time() - cpu, time.process_time() - proc, queued() - q)
# ANCHOR_END: measure


def classify(wall, cpu, q):
    """CPU-bound, I/O-bound or mixed from the share of its own time the task computed."""
    own = wall - q
    share = min(cpu / own, 1.0) if own > 0 else 0.0
    if share >= 0.8:
        return share, "CPU-bound"
    if share <= 0.2:
        return share, "I/O-bound"
    return share, "mixed"


def compute(seconds=TASK):
    """Pure Python arithmetic until this thread has had `seconds` of CPU time."""
    end = time.thread_time() + seconds
    x = 0
    while time.thread_time() < end:
        for i in range(1000):
            x = (x * 31 + i) % 1000003
    return x


def read_cached_file(path, seconds=TASK):
    """Read a file that sits in the page cache, again and again."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        with open(path, "rb", buffering=0) as f:
            while f.read(1 << 16):
                pass


def slow_server(delay, count):
    """A server on 127.0.0.1 that answers each of `count` connections after `delay`."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        for _ in range(count):
            conn, _ = listener.accept()
            with conn:
                conn.recv(64)
                time.sleep(delay)
                conn.sendall(b"page\n")
        listener.close()

    threading.Thread(target=serve, daemon=True).start()
    return listener.getsockname()


def fetch(address, count):
    """Fetch `count` pages, one after the other."""
    for n in range(count):
        with socket.create_connection(address) as conn:
            conn.sendall(f"GET {n}\n".encode())
            conn.recv(64)


def sleep_beside_a_computing_thread():
    """Sleep while another thread of this process computes."""
    other = threading.Thread(target=compute, args=(TASK,))
    other.start()
    time.sleep(TASK)
    other.join()


def main():
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "data.bin")
        with open(path, "wb") as f:
            f.write(os.urandom(16 << 20))
        address = slow_server(0.04, 4)
        tasks = [
            ("compute for 150 ms of CPU time", compute),
            ("sleep 150 ms", lambda: time.sleep(TASK)),
            ("read a 16 MiB cached file for 150 ms of CPU", lambda: read_cached_file(path)),
            ("fetch 4 pages, 40 ms wait each", lambda: fetch(address, 4)),
            ("compute 75 ms, then sleep 75 ms", lambda: (compute(TASK / 2), time.sleep(TASK / 2))),
            ("sleep 150 ms beside a computing thread", sleep_beside_a_computing_thread),
        ]
        print("| task | wall | thread_time | process_time | queued | CPU share | class |")
        print("|---|---|---|---|---|---|---|")
        for name, task in tasks:
            wall, cpu, proc, q = measure(task)
            share, cls = classify(wall, cpu, q)
            print(
                f"| {name} | {wall * 1e3:.1f} ms | {cpu * 1e3:.1f} ms | {proc * 1e3:.1f} ms "
                f"| {q * 1e3:.1f} ms | {share:.2f} | {cls} |"
            )


if __name__ == "__main__":
    main()
