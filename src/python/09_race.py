"""Chapter 09's race in CPython: 20 pages from a server that answers each after 50 ms,
fetched one after another, on 10 threads, through multiprocessing.Pool(10) (once per
start method, pool start included) and with asyncio.gather.

    python3 src/python/09_race.py [--runs 3] [--pages 20] [--workers 10] [--delay 0.05]

The server speaks the course's loopback protocol (`GET n\\n`, answered after the delay
with one line `n <body>\\n`, then the connection closes). It runs in a process of its
own (this file, run with --serve), so that it never competes with the clients for this
interpreter's GIL. Each figure is the fastest of --runs rounds, the rounds interleaved.
"""

import argparse
import asyncio
import multiprocessing
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

ADDR = None  # set in main(), and in each pool worker through `init_worker`


def serve(delay):
    """The slow web site: asyncio, one task per connection. Prints its port, then serves."""

    async def answer(reader, writer):
        line = (await reader.readline()).decode()
        n = int(line.removeprefix("GET ").strip())
        await asyncio.sleep(delay)
        writer.write(f"{n} page-{n}\n".encode())
        await writer.drain()
        writer.close()

    async def main():
        server = await asyncio.start_server(answer, "127.0.0.1", 0, backlog=4096)
        print(server.sockets[0].getsockname()[1], flush=True)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def fetch(n):
    """The blocking client: the thread waits in connect and recv, without the GIL."""
    with socket.create_connection(ADDR, timeout=10) as s:
        s.sendall(f"GET {n}\n".encode())
        line = s.makefile().readline()
    if not line.endswith("\n"):
        raise ConnectionError(f"page {n}: the reply was cut short")
    return line


def init_worker(addr):
    global ADDR
    ADDR = addr


def sequential(pages, workers):
    return [fetch(n) for n in pages]


def threads(pages, workers):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fetch, pages))


def processes(method):
    def run(pages, workers):
        context = multiprocessing.get_context(method)
        with context.Pool(workers, initializer=init_worker, initargs=(ADDR,)) as pool:
            return pool.map(fetch, pages)
    return run


async def fetch_async(n):
    reader, writer = await asyncio.open_connection(*ADDR)
    writer.write(f"GET {n}\n".encode())
    line = (await reader.readline()).decode()
    writer.close()
    return line


async def fetch_all(pages):
    return await asyncio.gather(*(fetch_async(n) for n in pages))


def with_asyncio(pages, workers):
    return asyncio.run(fetch_all(pages))


def main():
    global ADDR
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--workers", type=int, default=10)
    parser.add_argument("--delay", type=float, default=0.05)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve)
        return
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(args.delay)],
                              stdout=subprocess.PIPE, text=True)
    try:
        ADDR = ("127.0.0.1", int(server.stdout.readline()))
        pages = list(range(1, args.pages + 1))
        clients = [
            ("sequential", sequential),
            (f"threading, {args.workers} threads (ThreadPoolExecutor)", threads),
            (f"multiprocessing, Pool({args.workers}), fork", processes("fork")),
            (f"multiprocessing, Pool({args.workers}), forkserver", processes("forkserver")),
            (f"multiprocessing, Pool({args.workers}), spawn", processes("spawn")),
            (f"asyncio, {args.pages} tasks (gather)", with_asyncio),
        ]
        best = {name: float("inf") for name, _ in clients}
        for _ in range(args.runs):
            for name, client in clients:
                start = time.perf_counter()
                replies = client(pages, args.workers)
                took = time.perf_counter() - start
                if replies != [f"{n} page-{n}\n" for n in pages]:
                    raise RuntimeError(f"{name}: wrong replies")
                best[name] = min(best[name], took)
        print(f"Python {sys.version.split()[0]}, default start method "
              f"{multiprocessing.get_start_method()}; {args.pages} pages of "
              f"{args.delay * 1e3:.0f} ms, fastest of {args.runs}")
        base = best["sequential"]
        for name, _ in clients:
            print(f"  {name}: {best[name] * 1e3:.0f} ms ({base / best[name]:.1f}x)")
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
