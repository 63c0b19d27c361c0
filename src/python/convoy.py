"""Tiny blocking round trips to an echo server, alone and beside a CPU-bound thread.

Each round trip writes one byte to a server process, which works on it for about 20 µs,
and reads the answer back; both calls release the GIL. Alone, a trip costs the server's
work and what the operating system needs. Beside a CPU-bound thread, that thread grabs the
GIL while ours waits for the answer, and getting it back is an ordinary contended take: the
CPU-bound thread keeps it until our wait of one switch interval (5 ms) runs out. One slow
round trip after another: this is the convoy effect.
"""

import os
import subprocess
import sys
import threading
import time

import measure


def echo_server(think):
    """Run in the child process: answer every byte after `think` seconds of work."""
    while data := os.read(0, 64):
        deadline = time.perf_counter() + think
        while time.perf_counter() < deadline:
            pass
        os.write(1, data)


def round_trips(to_server, from_server, count):
    """Time `count` round trips, in seconds each."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        os.write(to_server, b"x")
        os.read(from_server, 64)
        times.append(time.perf_counter() - start)
    return times


def spin(stop):
    """A CPU-bound thread: arithmetic until told to stop."""
    x = 0
    while not stop.is_set():
        x = (x * 31 + 1) % 1000003


def beside_cpu_thread(to_server, from_server, count):
    """The same round trips while another thread keeps the CPU busy."""
    stop = threading.Event()
    cpu = threading.Thread(target=spin, args=(stop,))
    cpu.start()
    time.sleep(0.02)  # let the CPU-bound thread get going
    try:
        return round_trips(to_server, from_server, count)
    finally:
        stop.set()
        cpu.join()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--echo-server"]:
        echo_server(float(sys.argv[2]))
        sys.exit(0)
    args = measure.arguments(__doc__, alone=500, beside=100, think=0.00002)
    server = subprocess.Popen(
        [sys.executable, "-B", __file__, "--echo-server", str(args.think)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0,
    )
    to_server, from_server = server.stdin.fileno(), server.stdout.fileno()
    round_trips(to_server, from_server, 50)  # warm up
    alone = round_trips(to_server, from_server, args.alone)
    beside = beside_cpu_thread(to_server, from_server, args.beside)
    server.stdin.close()
    server.wait()
    mean_alone = sum(alone) / len(alone)
    mean_beside = sum(beside) / len(beside)
    measure.report(
        "one I/O thread's round trips: alone vs beside one CPU-bound thread",
        {"alone_mean_s": mean_alone, "beside_mean_s": mean_beside,
         "alone_median_s": measure.median(alone), "beside_median_s": measure.median(beside),
         "growth": mean_beside / mean_alone},
        args.json,
    )
