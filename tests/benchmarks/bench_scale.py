"""Scale: full builds of 1k and 10k synthetic articles, one added article, and a push.

Run on purpose:  python -m tests.benchmarks.bench_scale [--sizes 1000 10000] [--jobs 2]
Reports build time, words per second, peak memory (RSS of the largest build process; for a full
build also the PSS of all its processes together), the medians of
adding and removing one article (incremental: parse cache, fragment cache, patched store) as a
share of the full build, with every export rewritten and with the store only (`--formats none`),
and the time to push the build to a local `oxigraph serve`, whole and after one change.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.benchmarks.memory import TreeMemory
from tests.benchmarks.synthetic_articles import generate

ROOT = Path(__file__).resolve().parents[2]


def run_build(sources: Path, out: Path, jobs: int, *extra: str) -> tuple[float, float, str, float]:
    """(seconds, peak RSS MB, the build's line on blocks, peak MB of all its processes together)
    of one `kg build` in its own process, started once what earlier builds wrote is on disk
    (`os.sync`, not timed): gigabytes of exports still being written back would otherwise slow the
    next build timed here. The peak RSS is the largest any one of its processes reached (what
    `wait4` reports); all processes together is their proportional set size (PSS: a page forked
    workers share counts once), summed and sampled every 0.2 s (`TreeMemory`).
    `--no-answer`: the saved queries a build answers afterwards run in a process of their own
    that outlives it (`kg/warm.py`); left running, it would share the cores with the next build
    timed here."""
    os.sync()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "kg", "build", "--sources", str(sources), "--ontology",
                                 str(ROOT / "ontology"), "--out", str(out), "--jobs", str(jobs), "--no-answer",
                                 *extra], stdout=subprocess.PIPE, stderr=errors, text=True,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        with TreeMemory(proc.pid) as together:
            stdout = proc.stdout.read()  # type: ignore[union-attr]
            _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        if proc.returncode:
            errors.seek(0)
            raise SystemExit(f"kg build failed ({proc.returncode}):\n" + "".join(errors.readlines()[-20:]))
    blocks = next((line for line in stdout.splitlines() if line.startswith("Blocks:")), "")
    return elapsed, usage.ru_maxrss / 1024, blocks, together.peak


@contextmanager
def oxigraph_server() -> Iterator[str]:
    """A local `oxigraph serve` with an empty database; yields its Graph Store endpoint."""
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
        yield f"http://127.0.0.1:{port}/store"
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(data, ignore_errors=True)


def push_time(build: Path, endpoint: str) -> float:
    """Seconds of one `kg push` (NaN, with its error printed, when it failed)."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kg", "push", "--endpoint", endpoint, "--update",
                           endpoint.removesuffix("/store") + "/update", "--build", str(build)],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if proc.returncode:
        print(f"  kg push failed: {proc.stderr.strip()[-400:]}", flush=True)
        return float("nan")
    print(f"  push: {proc.stdout.strip()}", flush=True)
    return time.perf_counter() - started


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="add/remove cycles for the incremental medians")
    parser.add_argument("--no-push", action="store_true")
    args = parser.parse_args()
    for size in args.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"kg-scale-{size}-"))
        try:
            sources, build = work / "sources", work / "build"
            generate(size + 1, work / "all")
            shutil.copytree(work / "all", sources)
            last = sorted((sources / "articles").glob("*.txt"))[-1]
            held_back = last.read_text(encoding="utf-8")
            last.unlink()
            words = sum(len(p.read_text(encoding="utf-8").split("---\n", 2)[2].split())
                        for p in (sources / "articles").glob("*.txt"))
            full, peak, _, together = run_build(sources, build, args.jobs)
            quads = sum(1 for _ in open(build / "dataset.nq", encoding="utf-8"))
            sizes = {p.name: (build / p.name).stat().st_size for p in build.iterdir() if p.name.startswith(("dataset", "graph"))}
            print(f"{size} articles, {words} words, {quads} quads: full build {full:.1f} s "
                  f"({words / full:.0f} words/s, peak RSS {peak:.0f} MB, all processes {together:.0f} MB); exports "
                  + ", ".join(f"{n} {b / 1e6:.0f} MB" for n, b in sorted(sizes.items())), flush=True)
            with oxigraph_server() as endpoint:
                pushed = None if args.no_push else push_time(build, endpoint)
                timings: dict[str, list[float]] = {}
                peaks: dict[str, float] = {}
                reports: dict[str, str] = {}
                for formats, label in (("nq,trig,ttl,jsonld", ""), ("none", ", store only")):
                    for _ in range(args.repeat):
                        for step in ("add", "remove"):
                            if step == "add":
                                last.write_text(held_back, encoding="utf-8")
                            else:
                                last.unlink()
                            seconds, rss, reports[step + label], _ = run_build(sources, build, args.jobs,
                                                                               "--formats", formats)
                            timings.setdefault(step + label, []).append(seconds)
                            peaks[step + label] = max(peaks.get(step + label, 0.0), rss)
                    if not label and not args.no_push:
                        last.write_text(held_back, encoding="utf-8")
                        run_build(sources, build, args.jobs)
                        again = push_time(build, endpoint)
                        last.unlink()
            for name, values in timings.items():
                print(f"  {name} one article: median {median(values):.2f} s of {len(values)} "
                      f"({100 * median(values) / full:.2f}% of full, peak RSS {peaks[name]:.0f} MB); "
                      f"{reports[name]}", flush=True)
            if pushed is not None:
                print(f"  push to oxigraph serve: full {pushed:.1f} s; after adding one article {again:.1f} s",
                      flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
