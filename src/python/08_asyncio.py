"""The notes' asyncio example, and what this chapter does with it, in Python.

    python3 src/python/08_asyncio.py

1. The notes' example, each line stamped with the time since the start.
2. gather of many lookups: 10,000 coroutines that each wait between 0.5 and 1 s, and
   1,000 that wait between 50 and 100 ms; the results come back in the order asked.
3. The blocking-call mistake: `time.sleep` inside a coroutine, in debug mode, where
   asyncio itself reports the slow step; then the fix, `asyncio.to_thread`
   (`loop.run_in_executor` under the hood).
4. A deadline (`asyncio.wait_for`) and a cancellation (`task.cancel()`).
5. CPU-bound work, which `asyncio.to_thread` does not fix: four computations on the
   loop, with `asyncio.to_thread`, and with `loop.run_in_executor` on a
   `ProcessPoolExecutor`, each beside a heartbeat due every 10 ms.
"""

import asyncio
import concurrent.futures
import os
import time

START = time.monotonic()


def say(line):
    print(f"{(time.monotonic() - START) * 1000:6.0f} ms  {line}")


# 1. The notes' example.
async def task(name):
    say(f"Starting {name}")
    await asyncio.sleep(2)  # Non-blocking wait
    say(f"Finished {name}")


async def main():
    await asyncio.gather(task("Task-1"), task("Task-2"))


# 2. gather of many lookups.
async def lookup(n, wait):
    """An async lookup of record n: waits between half of `wait` and all of it."""
    await asyncio.sleep(wait / 2 + wait / 2 * ((n * 7919) % 1001) / 1000)
    return n * n


async def gather_lookups(n, wait):
    start = time.monotonic()
    records = await asyncio.gather(*(lookup(i, wait) for i in range(n)))
    in_order = records == [i * i for i in range(n)]
    return time.monotonic() - start, in_order


# 3. A blocking lookup of 0.2 s, on the loop and off it.
def lookup_blocking(n):
    time.sleep(0.2)  # a library call with no async API
    return n


async def fetch_on_the_loop(n):
    return lookup_blocking(n)


async def fetch(n):
    return await asyncio.to_thread(lookup_blocking, n)


async def four(fetcher):
    start = time.monotonic()
    await asyncio.gather(*(fetcher(n) for n in range(4)))
    return time.monotonic() - start


# 4. A deadline and a cancellation.
async def slow_operation():
    try:
        say("slow operation: started")
        await asyncio.sleep(5)
        say("slow operation: done")
        return 42
    finally:
        say("slow operation: cleanup ran")


async def worker():
    try:
        say("worker: started")
        for step in range(1, 11):
            await asyncio.sleep(1)
            say(f"worker: step {step} of 10")
    finally:
        say("worker: cleanup ran")


async def deadline_and_cancel():
    global START
    START = time.monotonic()
    try:
        await asyncio.wait_for(slow_operation(), timeout=1)
    except TimeoutError:
        say("main: wait_for raised TimeoutError")
    START = time.monotonic()
    t = asyncio.create_task(worker())
    await asyncio.sleep(2.5)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        say("main: the worker was cancelled")


# 5. CPU-bound work: on the loop, on threads, in processes.
def compute(n, rounds=2_000_000):
    """Pure Python arithmetic: it holds the GIL from start to end (about 0.1-0.2 s)."""
    total = n
    for i in range(rounds):
        total = (total * 31 + i) % 1_000_003
    return total


async def heartbeat(late):
    """Asks to run every 10 ms and records how late it ran."""
    loop = asyncio.get_running_loop()
    while True:
        due = loop.time() + 0.01
        await asyncio.sleep(0.01)
        late.append(loop.time() - due)


async def four_computations(how):
    loop = asyncio.get_running_loop()
    late = []
    beat = asyncio.create_task(heartbeat(late))
    await asyncio.sleep(0.02)
    start = time.monotonic()
    if how == "on the loop":
        results = [compute(n) for n in range(4)]
    elif how == "asyncio.to_thread":
        results = await asyncio.gather(*(asyncio.to_thread(compute, n) for n in range(4)))
    else:
        with concurrent.futures.ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
            results = await asyncio.gather(
                *(loop.run_in_executor(pool, compute, n) for n in range(4)))
    took = time.monotonic() - start
    await asyncio.sleep(0.02)
    beat.cancel()
    assert results == [compute(n) for n in range(4)]
    return took, max(late)


if __name__ == "__main__":
    print("1. The notes' example")
    asyncio.run(main())

    print("\n2. gather")
    took, in_order = asyncio.run(gather_lookups(10_000, 1.0))
    print(f"10,000 lookups of 0.5 to 1 s took {took:.3f} s; results in the order asked: {in_order}")
    took, in_order = asyncio.run(gather_lookups(1_000, 0.1))
    print(f"1,000 lookups of 50 to 100 ms took {took * 1000:.0f} ms; results in the order asked: {in_order}")

    print("\n3. A blocking lookup of 0.2 s, four times (debug mode reports slow steps)")
    took = asyncio.run(four(fetch_on_the_loop), debug=True)
    print(f"on the loop: {took * 1000:.0f} ms")
    took = asyncio.run(four(fetch), debug=True)
    print(f"with asyncio.to_thread: {took * 1000:.0f} ms")

    print("\n4. A deadline of 1 s, then a cancellation after 2.5 s")
    asyncio.run(deadline_and_cancel())

    print(f"\n5. Four CPU-bound computations ({os.cpu_count()} cores), beside a heartbeat due every 10 ms")
    for how in ["on the loop", "asyncio.to_thread", "run_in_executor(ProcessPoolExecutor)"]:
        took, late = asyncio.run(four_computations(how))
        print(f"{how}: {took * 1000:.0f} ms, heartbeat up to {late * 1000:.0f} ms late")
