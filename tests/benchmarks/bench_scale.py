"""Scale: full builds of 1k and 10k synthetic articles, one added article, and a push.

Run on purpose:  python -m tests.benchmarks.bench_scale [--sizes 1000 10000] [--jobs 2]
Reports build time, words per second, peak memory (RSS of the build process), the time to add
one article to the built corpus (incremental, from the parse cache) as a share of the full
build, and the time to push the build to a local `oxigraph serve`.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.benchmarks.synthetic_articles import generate

ROOT = Path(__file__).resolve().parents[2]


def run_build(sources: Path, out: Path, jobs: int) -> tuple[float, float]:
    """(seconds, peak RSS MB) of one `kg build` in its own process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg", "build", "--sources", str(sources), "--ontology", str(ROOT / "ontology"),
                    "--out", str(out), "--jobs", str(jobs)], check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def push_time(build: Path) -> float:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = Path(tempfile.mkdtemp(prefix="kg-ox-"))
    server = subprocess.Popen([shutil.which("oxigraph") or "oxigraph", "serve", "--location", str(data), "--bind",
                               f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kg", "push", "--endpoint", f"http://127.0.0.1:{port}/store",
                        "--build", str(build)], check=True, capture_output=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        return time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(data, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-push", action="store_true")
    args = parser.parse_args()
    for size in args.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"kg-scale-{size}-"))
        try:
            sources = work / "sources"
            generate(size + 1, work / "all")
            shutil.copytree(work / "all", sources)
            last = sorted((sources / "articles").glob("*.txt"))[-1]
            held_back = last.read_text(encoding="utf-8")
            last.unlink()
            words = sum(len(p.read_text(encoding="utf-8").split("---\n", 2)[2].split())
                        for p in (sources / "articles").glob("*.txt"))
            full, peak = run_build(sources, work / "build", args.jobs)
            last.write_text(held_back, encoding="utf-8")
            incremental, _ = run_build(sources, work / "build", args.jobs)
            pushed = None if args.no_push else push_time(work / "build")
            quads = sum(1 for _ in open(work / "build" / "dataset.nq", encoding="utf-8"))
            print(f"{size} articles, {words} words, {quads} quads: full build {full:.1f} s "
                  f"({words / full:.0f} words/s, peak RSS {peak:.0f} MB); add one article {incremental:.1f} s "
                  f"({100 * incremental / full:.1f}% of full); push {'-' if pushed is None else f'{pushed:.1f} s'}",
                  flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
