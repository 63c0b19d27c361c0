"""Two threads add to one global counter; how many of their updates survive?

`counter += 1` reads, adds and writes with no check point in between: since CPython 3.10
a thread can only lose the GIL at a loop's back-edge or a function entry, so no update is
lost (older versions could switch after any instruction). In `counter = counter + one()`
the call enters a function, whose entry is a check point: a thread can lose the GIL after
reading `counter` and before writing it back, and the other thread's work is overwritten.
"""

import threading

import measure

counter = 0


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
    args = measure.arguments(__doc__, iterations=1_000_000, form="with-call")
    add = {"in-place": add_in_place, "with-call": add_with_call}[args.form]
    fractions = [lost_fraction(add, args.iterations) for _ in range(args.runs)]
    measure.report(
        f"{args.form}: share of 2 x {args.iterations} updates lost",
        {"form": args.form, "lost_median": measure.median(fractions), "lost_runs": fractions},
        args.json,
    )
