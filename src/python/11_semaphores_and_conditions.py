"""Chapter 11 in CPython: a semaphore bounds 8 downloads to 3 at once, and threads
blocked in queue.Queue.get() use no CPU while they wait.

    python3 src/python/11_semaphores_and_conditions.py
"""

import queue
import threading
import time

PERMITS = 3
PAGES = 8
DOWNLOAD = 0.04  # seconds; time.sleep stands in for the network
BLOCKED = 0.3    # seconds the consumers wait on an empty queue


def bounded_downloads():
    sem = threading.Semaphore(PERMITS)
    lock = threading.Lock()
    inside = peak = 0

    def download(page):
        nonlocal inside, peak
        with sem:
            with lock:
                inside += 1
                peak = max(peak, inside)
            time.sleep(DOWNLOAD)
            with lock:
                inside -= 1

    start = time.perf_counter()
    threads = [threading.Thread(target=download, args=(p,)) for p in range(PAGES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - start
    print(f"{PAGES} downloads of {DOWNLOAD * 1000:.0f} ms through Semaphore({PERMITS}): "
          f"at most {peak} at once, {took * 1000:.0f} ms in all")


def blocked_consumers():
    q = queue.Queue(maxsize=4)
    cpu = []
    lock = threading.Lock()

    def consumer():
        before = time.thread_time()
        q.get()  # blocks: the queue is empty
        used = time.thread_time() - before
        with lock:
            cpu.append(used)

    threads = [threading.Thread(target=consumer) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(BLOCKED)
    for i in range(8):
        q.put(i)
    for t in threads:
        t.join()
    print(f"8 consumers blocked in q.get() for {BLOCKED * 1000:.0f} ms used "
          f"{sum(cpu) * 1000:.2f} ms of CPU in all")


if __name__ == "__main__":
    bounded_downloads()
    blocked_consumers()
