"""The rules of threading.Lock and threading.RLock that chapter 10 rebuilds, shown on
python3: a plain Lock taken twice by one thread, an RLock released by a stranger or once
too often, a plain Lock released by another thread."""

import threading
import time

lock = threading.Lock()
lock.acquire()
start = time.perf_counter()
again = lock.acquire(timeout=0.5)  # without a timeout this line would never return
print(f"Lock, second acquire on the same thread: {again} after {time.perf_counter() - start:.2f} s")

rlock = threading.RLock()
rlock.acquire()
rlock.acquire()


def stranger():
    try:
        rlock.release()
    except RuntimeError as e:
        print(f"RLock, release by another thread: {e!r}")


t = threading.Thread(target=stranger)
t.start()
t.join()
rlock.release()
rlock.release()
try:
    rlock.release()
except RuntimeError as e:
    print(f"RLock, a third release after two acquires: {e!r}")

plain = threading.Lock()
plain.acquire()
t = threading.Thread(target=plain.release)
t.start()
t.join()
print(f"Lock, released by another thread: allowed; locked now: {plain.locked()}")
try:
    plain.release()
except RuntimeError as e:
    print(f"Lock, release when unlocked: {e!r}")
