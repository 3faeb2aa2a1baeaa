"""Extraction speed: words per second of `kg build` against bare `nlp.pipe`, and --jobs 2.

Run on purpose:  python -m tests.benchmarks.bench_extraction [--articles 400]
                 python -m tests.benchmarks.bench_extraction --seeds   (the three seed articles, cold)
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.benchmarks.timing import timed
from kg.build import build, cpu_jobs, default_extractor
from kg.nlp.model import load_model
from kg.sources import read_articles
from tests.benchmarks.synthetic_articles import generate

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"


SEED_RUN = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from kg.nlp.model import load_model
load_model()
loaded = time.perf_counter()
from kg.build import build, default_extractor
from tests.conftest import ONTOLOGY, SOURCES
out = Path(sys.argv[1])
build(SOURCES, ONTOLOGY, out, extractor=default_extractor(int(sys.argv[2]), cache=out / "cache" / "parsed"))
print(json.dumps({"spacy": loaded - started, "build": time.perf_counter() - loaded}))
"""


def seeds(repeat: int) -> None:
    """The three seed articles built from nothing (no parse cache, no earlier build) as `kg build`
    does, each run in a fresh interpreter; the clock starts once spaCy and its model are loaded
    (importing spaCy and loading the model take 1.5-2 s whatever the build does)."""
    root = Path(__file__).resolve().parents[2]
    for jobs in (2, 1):
        runs = []
        for _ in range(repeat):
            with tempfile.TemporaryDirectory(prefix="kg-bench-seeds-") as work:
                done = subprocess.run([sys.executable, "-c", SEED_RUN, str(Path(work) / "build"), str(jobs)],
                                      cwd=root, capture_output=True, text=True, check=True)
                runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        builds = [r["build"] for r in runs]
        print(f"three seeds, cold, --jobs {jobs}: build {statistics.median(builds):.2f} s besides spaCy "
              f"(runs {', '.join(f'{b:.2f}' for b in builds)}); spaCy and model "
              f"{statistics.median(r['spacy'] for r in runs):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seeds", action="store_true", help="time the three-seed build from a cold cache instead")
    args = parser.parse_args()
    if args.seeds:
        seeds(max(args.repeat, 5))
        return
    work = Path(tempfile.mkdtemp(prefix="kg-bench-nlp-"))
    try:
        sources = work / "sources"
        generate(args.articles, sources)
        bodies = [a.body for a in read_articles(sources)]
        words = sum(len(b.split()) for b in bodies)
        nlp = load_model.__wrapped__()  # a model of its own: the build adds its components to the one it shares
        load_model()  # the build's, loaded before the clock starts as this one is
        runs = iter(range(10 * args.repeat))

        def fresh_build(jobs: int) -> None:
            """A build of the corpus from nothing: a new folder each time, or the second run would
            only apply the (empty) change to the first one's state."""
            out = work / f"b{jobs}-{next(runs)}"
            build(sources, ONTOLOGY, out, extractor=default_extractor(jobs, cache=out / "cache" / "parsed"),
                  check_shapes=True)  # as `kg build` does: the streamed path, parses cached in the build, SHACL on a sample

        # The three are timed in turn, round after round, so each round's ratios compare runs made
        # moments apart: on a shared machine the speed of bare nlp.pipe alone drifts by 15% between
        # minutes, more than the differences measured here.
        rounds = [(timed(lambda: list(nlp.pipe(bodies, batch_size=16)), 1), timed(lambda: fresh_build(1), 1),
                   timed(lambda: fresh_build(2), 1)) for _ in range(args.repeat)]
        bare, one, two = (statistics.median(r[i] for r in rounds) for i in range(3))
        ratio_one = statistics.median(b / o for b, o, _ in rounds)
        ratio_two = statistics.median(b / t for b, _, t in rounds)
        speedup = statistics.median(o / t for _, o, t in rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{args.articles} articles, {words} words (medians of {args.repeat} rounds; ratios: median of each round's)")
    for i, (b, o, t) in enumerate(rounds, 1):
        print(f"  round {i}: bare {b:.2f} s, --jobs 1 {o:.2f} s, --jobs 2 {t:.2f} s")
    print(f"bare nlp.pipe:          {bare:6.2f} s  {words / bare:8.0f} words/s")
    print(f"kg build --jobs 1:      {one:6.2f} s  {words / one:8.0f} words/s  ratio to nlp.pipe {ratio_one:.2f}")
    print(f"kg build --jobs 2:      {two:6.2f} s  {words / two:8.0f} words/s  speed-up over --jobs 1 {speedup:.2f}x"
          f"  ratio to nlp.pipe {ratio_two:.2f}")
    print(f"(`kg build` with no --jobs uses {cpu_jobs()} process(es) on this machine; bare nlp.pipe uses one)")


if __name__ == "__main__":
    main()
