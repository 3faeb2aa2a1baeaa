"""A bounded load run on loopback: 50 concurrent clients for 60 s mixing the saved queries.

Run on purpose:  python -m tests.benchmarks.bench_serve [--clients 50 --seconds 60]
Builds the shipped sources into a temporary folder, starts `kg serve` on 127.0.0.1, and reports
requests per second, p50/p99 latency (also after the first seconds), errors, how many answers the
server sent again from those it kept, and the server's memory (RSS, sampled each second).
`--cache-mb 0` keeps no answer (requests for a query already running still share its run).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

from kg.build import build, default_extractor
from kg.saved import fill, saved_queries
from tests.benchmarks.memory import rss_mb

ROOT = Path(__file__).resolve().parents[2]


class _Response:
    """What httptools' parser reports of one response."""

    def __init__(self) -> None:
        self.headers: dict[bytes, bytes] = {}
        self.complete = False

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers[name.lower()] = value

    def on_message_complete(self) -> None:
        self.complete = True


def form_request(port: int, query: str) -> bytes:
    """A whole HTTP/1.1 POST of the query as a form field, as SPARQL clients send it."""
    from urllib.parse import urlencode

    body = urlencode({"query": query}).encode("utf-8")
    return (f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/sparql-results+json\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


async def client(port: int, requests: list[bytes], deadline: float, latencies: list[tuple[float, float]],
                 errors: list[int], index: int) -> None:
    """One client on one kept-alive connection, asking the queries in turn. The requests are
    made once and the answers parsed by httptools (C): httpx spent 2.9 ms of CPU a request, so
    fifty httpx clients saturated a core of this two-core machine before the server did (the
    server's process was half idle), and the run measured the client."""
    import httptools

    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    n = index
    try:
        while time.monotonic() < deadline:
            request = requests[n % len(requests)]
            n += 1
            started = time.perf_counter()
            response = _Response()
            parser = httptools.HttpResponseParser(response)
            try:
                writer.write(request)
                while not response.complete:
                    data = await asyncio.wait_for(reader.read(1 << 16), timeout=30)
                    if not data:
                        raise ConnectionError("the server closed the connection")
                    parser.feed_data(data)
                if parser.get_status_code() != 200:
                    errors.append(parser.get_status_code())
                KEPT[response.headers.get(b"kg-answer", b"-").decode()] += 1
            except (OSError, ConnectionError, asyncio.TimeoutError, httptools.HttpParserError):
                errors.append(-1)
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            latencies.append((time.monotonic(), time.perf_counter() - started))
    finally:
        writer.close()


async def sample(pid: int, deadline: float, memory: list[float]) -> None:
    while time.monotonic() < deadline:
        memory.append(rss_mb(pid))
        await asyncio.sleep(1)


KEPT: Counter = Counter()
"""Answers by the server's KG-Answer header: "kept" (sent again) or "computed" (run by a worker for
this request, or for one like it asked at the same moment)."""
WARM_UP = 10.0
"""Seconds after which latencies are also reported apart (see the last line of the report)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory", action=argparse.BooleanOptionalAction, default=True,
                        help="serve from the workers' in-memory copies (kg serve's default at this size)")
    parser.add_argument("--cache-mb", type=int, default=64,
                        help="answers the server keeps to send again (kg serve's default; 0 runs every query)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-serve-"))
    build(ROOT / "sources", ROOT / "ontology", work / "build", extractor=default_extractor())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--build", str(work / "build"), "--port", str(port),
                             "--workers", str(args.workers), "--memory" if args.memory else "--no-memory",
                             "--cache-mb", str(args.cache_mb)], env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/sparql", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        queries = [fill(q, {p: "2022-11-04" if p in q.dates else "https://w3id.org/alliance-kg/id/entity/boeing"
                            for p in q.params})
                   for q in saved_queries().values()]
        requests = [form_request(port, q) for q in queries]
        latencies: list[tuple[float, float]] = []  # (when it ended, how long it took)
        errors: list[int] = []
        memory: list[float] = []
        deadline = time.monotonic() + args.seconds

        async def run() -> None:
            await asyncio.gather(sample(proc.pid, deadline, memory),
                                 *(client(port, requests, deadline, latencies, errors, i) for i in range(args.clients)))

        started = time.monotonic()
        asyncio.run(run())
        elapsed = time.monotonic() - started
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    settled = sorted(took for ended, took in latencies if ended >= started + WARM_UP)
    latencies = sorted(took for _, took in latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else 0
    print(f"{'memory' if args.memory else 'disk'}, answers kept: {args.cache_mb} MB: {args.clients} clients, "
          f"{elapsed:.0f} s, {len(queries)} saved queries mixed, {args.workers} workers")
    print(f"requests: {len(latencies)}  ({len(latencies) / elapsed:.0f}/s)  errors: {len(errors)} {sorted(set(errors))}  "
          f"answers: {dict(sorted(KEPT.items()))}")
    print(f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms")
    if settled:  # the first seconds: every query's first run, the workers loading the build into memory
        print(f"after the first {WARM_UP:.0f} s: {len(settled)} requests, p50 {statistics.median(settled) * 1000:.0f} ms, "
              f"p99 {settled[int(len(settled) * 0.99) - 1] * 1000:.0f} ms")
    print(f"server RSS MB: first {memory[0]:.0f}, max {max(memory):.0f}, last {memory[-1]:.0f} "
          f"(samples {len(memory)}; after 10 s {memory[min(10, len(memory) - 1)]:.0f})")


if __name__ == "__main__":
    main()
