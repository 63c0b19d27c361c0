"""Small helpers the workload programs share: time a function, repeat interleaved runs,
print the result for a person or as one JSON line for `compare-python`."""

import argparse
import json
import statistics
import time


def seconds(fn, *args):
    """Wall time of one call of fn(*args), in seconds."""
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def best_of(runs, *fns):
    """Run each fn once per round, interleaved, `runs` rounds; return each fn's fastest time.

    The fastest run is the least disturbed by other programs on the machine: they can only
    add time, never remove it.
    """
    times = [[] for _ in fns]
    for _ in range(runs):
        for slot, fn in zip(times, fns):
            slot.append(seconds(fn))
    return [min(slot) for slot in times]


def median(values):
    """The middle value."""
    return statistics.median(values)


def arguments(doc, **defaults):
    """Parse --json, --runs and one --name option per keyword in `defaults`."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--runs", type=int, default=3, help="rounds to repeat")
    for name, value in defaults.items():
        parser.add_argument("--" + name.replace("_", "-"), type=type(value), default=value)
    return parser.parse_args()


def report(title, result, as_json):
    """Print `result` (a dict) under `title`, or as one JSON line."""
    if as_json:
        print(json.dumps(result))
        return
    print(title)
    for key, value in result.items():
        print(f"  {key}: {value:.4g}" if isinstance(value, float) else f"  {key}: {value}")
