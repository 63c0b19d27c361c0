"""The notes' asyncio example, and what this chapter does with it, in Python.

    python3 src/python/08_asyncio.py

1. The notes' example, each line stamped with the time since the start.
2. gather of many waits: 10,000 coroutines sleeping 1 s, and 1,000 sleeping 0.1 s.
3. The blocking-call mistake: `time.sleep` inside a coroutine, in debug mode, where
   asyncio itself reports the slow step; then the fix, `asyncio.to_thread`
   (`loop.run_in_executor` under the hood).
4. A deadline (`asyncio.wait_for`) and a cancellation (`task.cancel()`).
"""

import asyncio
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


# 2. gather of many waits.
async def gather_sleeps(n, wait):
    start = time.monotonic()
    await asyncio.gather(*(asyncio.sleep(wait) for _ in range(n)))
    return time.monotonic() - start


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


if __name__ == "__main__":
    print("1. The notes' example")
    asyncio.run(main())

    print("\n2. gather")
    took = asyncio.run(gather_sleeps(10_000, 1.0))
    print(f"10,000 waits of 1 s took {took:.3f} s")
    took = asyncio.run(gather_sleeps(1_000, 0.1))
    print(f"1,000 waits of 0.1 s took {took * 1000:.0f} ms")

    print("\n3. A blocking lookup of 0.2 s, four times (debug mode reports slow steps)")
    took = asyncio.run(four(fetch_on_the_loop), debug=True)
    print(f"on the loop: {took * 1000:.0f} ms")
    took = asyncio.run(four(fetch), debug=True)
    print(f"with asyncio.to_thread: {took * 1000:.0f} ms")

    print("\n4. A deadline of 1 s, then a cancellation after 2.5 s")
    asyncio.run(deadline_and_cancel())
