"""Four ways to add 1 to a global counter on two threads; which of them lose updates?

Chapter 10 predicts it from where CPython looks at its eval breaker (3.10+: a function's
entry and a loop's back-edge; Python/bytecodes.c, RESUME and JUMP_BACKWARD): an update
can be lost only if such a check point falls between reading `counter` and writing it
back. `with lock:` around the read-modify-write loses none, whatever the check points.
"""

import sys
import threading

import measure

counter = 0
lock = threading.Lock()


def one():
    return 1


def add_in_place(n):
    global counter
    for _ in range(n):
        counter += 1


def add_with_call(n):
    global counter
    for _ in range(n):
        counter = counter + one()


def call_first(n):
    global counter
    for _ in range(n):
        counter = one() + counter


def read_call_write(n):
    global counter
    for _ in range(n):
        x = counter
        one()
        counter = x + 1


def add_with_call_locked(n):
    global counter
    for _ in range(n):
        with lock:
            counter = counter + one()


FORMS = {
    "counter += 1": add_in_place,
    "counter = counter + one()": add_with_call,
    "counter = one() + counter": call_first,
    "x = counter; one(); counter = x + 1": read_call_write,
    "with lock: counter = counter + one()": add_with_call_locked,
}


def lost_fraction(add, n, threads=2):
    """Run `add(n)` on `threads` threads at once; the share of updates lost."""
    global counter
    counter = 0
    workers = [threading.Thread(target=add, args=(n,)) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return (threads * n - counter) / (threads * n)


if __name__ == "__main__":
    args = measure.arguments(__doc__, iterations=1_000_000)
    version = ".".join(map(str, sys.version_info[:3]))
    print(f"python {version}, 2 threads x {args.iterations} increments, {args.runs} runs")
    for form, add in FORMS.items():
        runs = [lost_fraction(add, args.iterations) for _ in range(args.runs)]
        shown = ", ".join(f"{r * 100:.1f}%" for r in runs)
        print(f"  {form:<38} lost: {shown}")
