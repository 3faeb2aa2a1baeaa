"""SPARQL speed: the project's store against rdflib's memory store and raw pyoxigraph.

Run on purpose, not in CI:  python -m tests.benchmarks.bench_sparql [--sizes 3000 27000]
Prints a Markdown table of median times per saved query, open time and bytes per quad: the
on-disk store, what `kg query` takes the first time and when the build already gave the answer
(`kg/answers.py`), the in-memory store `kg serve` loads, and rdflib's memory store.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

import kg
from kg import answers
from kg.query import run_query
from kg.saved import fill, saved_queries
from kg.sparql_safety import inspect_query
from kg.warm import warm, warmable
from tests.benchmarks.synthetic_graph import write_graph


class TimedOut(Exception):
    pass


def _alarm(signum, frame):  # noqa: ANN001, ARG001
    raise TimedOut


def median_time(run, repeat: int, cap: float | None = None) -> float | None:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        if cap:
            signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, cap)
        started = time.perf_counter()
        try:
            run()
        except TimedOut:
            return None
        finally:
            if cap:
                signal.setitimer(signal.ITIMER_REAL, 0)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def first_ask(out: Path, text: str, repeat: int) -> float:
    """Median time of `kg query`'s first ask of `text` of this build: no answer kept, the store
    opened anew (as in a new process), the query run and its answer laid out and kept."""
    times = []
    for _ in range(repeat):
        shutil.rmtree(out / answers.ANSWERS_DIR, ignore_errors=True)
        started = time.perf_counter()
        run_query(out, text, "table")
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def bench(facts: int, workdir: Path, repeat: int, rdflib_cap: float) -> dict:
    out = workdir / f"g{facts}"
    quads = write_graph(facts, out)
    result: dict = {"facts": facts, "quads": quads,
                    "store_bytes_per_quad": round(folder_bytes(out / "store") / quads, 1)}
    result["open_s"] = median_time(lambda: len(kg.open(out)), 5)
    project = kg.open(out).store

    raw = ox.Store()
    started = time.perf_counter()
    raw.bulk_load(path=str(out / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    result["raw_load_s"] = time.perf_counter() - started

    memory = Dataset(default_union=True)
    started = time.perf_counter()
    memory.parse(out / "dataset.nq", format="nquads")
    result["rdflib_load_s"] = time.perf_counter() - started

    person = "https://w3id.org/alliance-kg/id/entity/person-1"
    rows = {}
    for name, saved in saved_queries().items():
        text = inspect_query(fill(saved, {p: "2023-06-01" if p in saved.dates else person for p in saved.params})).text
        store_t = median_time(lambda: list(project.query(text)), repeat)
        first_t = first_ask(out, text, repeat)
        kept_t = median_time(lambda: run_query(out, text, "table"), repeat)  # what `kg query` does next time
        raw_t = median_time(lambda: list(raw.query(text, use_default_graph_as_union=True)), repeat)
        rdflib_t = median_time(lambda: list(memory.query(text)), 1, rdflib_cap)
        rows[name] = {"store_s": store_t, "raw_s": raw_t, "rdflib_s": rdflib_t, "first_s": first_t, "kept_s": kept_t}
        print(f"  {quads} quads {name}: store {store_t * 1000:.1f} ms, first kg query {first_t * 1000:.1f} ms, "
              f"kept {kept_t * 1000:.1f} ms, raw {raw_t * 1000:.1f} ms, rdflib "
              f"{'>cap' if rdflib_t is None else f'{rdflib_t * 1000:.0f} ms'}", flush=True)
    # what `kg build` leaves behind (kg/warm.py): the saved queries answered once it published
    shutil.rmtree(out / answers.ANSWERS_DIR, ignore_errors=True)
    started = time.perf_counter()
    warm(out, answers.generation_of(out))
    result["warm_s"] = time.perf_counter() - started
    result["warm_bytes"] = folder_bytes(out / answers.ANSWERS_DIR)
    for name, text in warmable().items():
        rows[name]["answered_s"] = median_time(lambda: run_query(out, text, "table"), 1)
        rows[name]["answered_csv_s"] = median_time(lambda: run_query(out, text, "csv"), 1)
    result["queries"] = rows
    return result


def markdown(results: list[dict], cap: float) -> str:
    lines = []
    for r in results:
        lines.append(f"\n### {r['quads']:,} quads ({r['facts']:,} facts)\n")
        lines.append(f"open the store: {r['open_s'] * 1000:.1f} ms (median of 5); store size "
                     f"{r['store_bytes_per_quad']} bytes/quad; raw pyoxigraph load {r['raw_load_s']:.2f} s; "
                     f"rdflib load {r['rdflib_load_s']:.1f} s; the build's answers to the saved queries "
                     f"{r['warm_s']:.1f} s, {r['warm_bytes'] / 1e6:.1f} MB\n")
        lines.append("| query | on-disk store ms | kg query, first ask ms | first ask after the build's answers "
                     "ms (table / csv) | kg query, kept answer ms | "
                     "in-memory pyoxigraph ms (kg serve) | store/memory | rdflib memory ms | rdflib/store | "
                     "rdflib/first ask | rdflib with its load / first ask |")
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, q in r["queries"].items():
            store, raw, rd = q["store_s"], q["raw_s"], q["rdflib_s"]
            rd_text = f">{cap * 1000:.0f}" if rd is None else f"{rd * 1000:.1f}"
            ratio = f">{cap / store:.0f}×" if rd is None else f"{rd / store:.0f}×"
            first = q["first_s"]
            # a new process: `kg query` opens the store, rdflib must parse the data first
            ratio_first = f">{cap / first:.0f}×" if rd is None else f"{rd / first:.0f}×"
            loaded = f">{(cap + r['rdflib_load_s']) / first:.0f}×" if rd is None else \
                f"{(rd + r['rdflib_load_s']) / first:.0f}×"
            answered = (f"{q['answered_s'] * 1000:.1f} / {q['answered_csv_s'] * 1000:.1f}" if "answered_s" in q
                        else "(needs a parameter)")
            lines.append(f"| {name} | {store * 1000:.1f} | {q['first_s'] * 1000:.1f} | {answered} | "
                         f"{q['kept_s'] * 1000:.1f} | "
                         f"{raw * 1000:.1f} | {store / raw:.2f} | {rd_text} | {ratio} | {ratio_first} | {loaded} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 27000], help="facts per graph")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rdflib-cap", type=float, default=30.0, help="seconds before an rdflib query is cut")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        results = [bench(size, workdir, args.repeat, args.rdflib_cap) for size in args.sizes]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(markdown(results, args.rdflib_cap))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
