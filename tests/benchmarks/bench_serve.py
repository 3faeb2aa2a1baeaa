"""A bounded load run on loopback: 50 concurrent clients for 60 s mixing the saved queries.

Run on purpose:  python -m tests.benchmarks.bench_serve [--clients 50 --seconds 60]
Builds the seed sources into a temporary folder, starts `kg serve` on 127.0.0.1, and reports
requests per second, p50/p99 latency, errors and the server's memory (RSS, sampled each second).
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
from pathlib import Path

import httpx

from kg.build import build, default_extractor
from kg.saved import fill, saved_queries

ROOT = Path(__file__).resolve().parents[2]


def rss_mb(pid: int) -> float:
    """Resident memory of the server and its worker processes."""
    total = 0
    for candidate in [pid, *children(pid)]:
        try:
            with open(f"/proc/{candidate}/status", encoding="utf-8") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="utf-8") as handle:
            return [int(c) for c in handle.read().split()]
    except OSError:
        return []


async def client(base: str, queries: list[str], deadline: float, latencies: list[float], errors: list[int],
                 index: int) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        n = index
        while time.monotonic() < deadline:
            query = queries[n % len(queries)]
            n += 1
            started = time.perf_counter()
            try:
                response = await http.post(base + "/sparql", data={"query": query})
                if response.status_code != 200:
                    errors.append(response.status_code)
            except httpx.HTTPError:
                errors.append(-1)
            latencies.append(time.perf_counter() - started)


async def sample(pid: int, deadline: float, memory: list[float]) -> None:
    while time.monotonic() < deadline:
        memory.append(rss_mb(pid))
        await asyncio.sleep(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory", action=argparse.BooleanOptionalAction, default=True,
                        help="serve from the workers' in-memory copies (kg serve's default at this size)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-serve-"))
    build(ROOT / "sources", ROOT / "ontology", work / "build", extractor=default_extractor())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--build", str(work / "build"), "--port", str(port),
                             "--workers", str(args.workers), "--memory" if args.memory else "--no-memory"], env={**os.environ, "PYTHONPATH": str(ROOT)},
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
        latencies: list[float] = []
        errors: list[int] = []
        memory: list[float] = []
        deadline = time.monotonic() + args.seconds

        async def run() -> None:
            await asyncio.gather(sample(proc.pid, deadline, memory),
                                 *(client(base, queries, deadline, latencies, errors, i) for i in range(args.clients)))

        started = time.monotonic()
        asyncio.run(run())
        elapsed = time.monotonic() - started
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else 0
    print(f"{'memory' if args.memory else 'disk'}: {args.clients} clients, {elapsed:.0f} s, {len(queries)} saved queries mixed, {args.workers} workers")
    print(f"requests: {len(latencies)}  ({len(latencies) / elapsed:.0f}/s)  errors: {len(errors)} {sorted(set(errors))}")
    print(f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms")
    print(f"server RSS MB: first {memory[0]:.0f}, max {max(memory):.0f}, last {memory[-1]:.0f} "
          f"(samples {len(memory)}; after 10 s {memory[min(10, len(memory) - 1)]:.0f})")


if __name__ == "__main__":
    main()
