"""The saved queries answered once a build is published, before anyone asks.

A published build never changes, so the answer to a saved query is fixed the moment the build is
published; only the first ask used to pay for it. At a million quads that first ask on the on-disk
store took 0.3-3 s for the listing queries (parsed-only: 24k rows, 2.7 s on the store and 0.45 s
more to lay out the table), far from the time an analyst waits at a screen, and no query text or
store layout brought a 24k-row listing near 300 ms. So `kg build` starts one low-priority process
after it publishes (`answer_later`) that asks every saved query that needs no parameter, in the
form `kg query` prints by default and in the W3C JSON results `kg.open(...).query` and the other
formats are made from (`answers.results`), and keeps both (`kg/answers.py`). The build does not
wait for it: a question asked meanwhile is computed as before, and a process still warming a
generation that is no longer published stops at its next query.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def warmable() -> dict[str, str]:
    """The text `kg query NAME` runs for every saved query that needs no parameter, by name."""
    from .saved import fill, saved_queries
    from .sparql_safety import inspect_query

    return {name: inspect_query(fill(saved, {})).text
            for name, saved in saved_queries().items() if not any(saved.required)}


def warm(build_dir: Path, generation: str) -> list[str]:
    """Answer and keep every parameterless saved query of `generation`, while it is the published
    one; the names answered, in order."""
    import pyoxigraph as ox

    from . import answers
    from .query import TABLE, answer_key, render
    from .store import open_store

    since = answers.stamp(build_dir)  # before the store is opened
    store = None
    done = []
    for name, text in warmable().items():
        if answers.generation_of(build_dir) != generation:
            break  # a newer build was published: its own process answers for it
        results_key, table_key = answers.RESULTS + text, answer_key(TABLE, None, text)
        if answers.cached(build_dir, generation, table_key) is not None:
            continue  # asked already
        data = answers.cached(build_dir, generation, results_key)
        if data is None:
            store = store or open_store(build_dir)
            data = store.query(text).serialize(format=ox.QueryResultsFormat.JSON)
            answers.keep(build_dir, generation, results_key, data, since)
        answer = render(ox.parse_query_results(data, ox.QueryResultsFormat.JSON), "select", TABLE)
        answers.keep(build_dir, generation, table_key, answer.encoded(), since)
        done.append(name)
    return done


def answer_later(build_dir: Path) -> subprocess.Popen | None:
    """Start the process that answers the saved queries of the build just published in
    `build_dir`, detached from this one (its own session, no terminal); None when there is no
    published build to answer for."""
    from .answers import generation_of

    generation = generation_of(build_dir)
    if generation is None:
        return None
    return subprocess.Popen(  # noqa: S603 - this interpreter, this module, two paths
        [sys.executable, "-m", "kg.warm", str(build_dir), generation],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, close_fds=True)


def main(argv: list[str]) -> int:
    """Entry point of the process `answer_later` starts: quiet, low priority, never failing
    loudly (a build folder removed or rebuilt meanwhile simply ends it)."""
    try:
        os.nice(10)
    except OSError:
        pass
    try:
        warm(Path(argv[0]), argv[1])
    except Exception:  # noqa: BLE001 - nobody reads this process's output; the next ask computes
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
