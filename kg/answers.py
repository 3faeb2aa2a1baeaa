"""Answers kept per build: a query asked twice of the same build is read, not run again.

A published build (a generation folder behind `build/current`) never changes, so the answer
to a query over it is fixed the moment it is first computed. Measured on the on-disk store
(119k quads, `tests/benchmarks/bench_sparql.py`), the listing queries an analyst repeats
(deals, meetings, parsed-only, article-contributions) cost 80-270 ms each, four to six times
their in-memory time: RocksDB pays for every lookup and every term it decodes, and no change to
the model or the query text brought them under 50 ms (materialising the best article and the
methods per fact took deals from 92 to 77 ms). Loading the store into memory at open costs
more than it saves for one question (0.33 s at 119k quads, ~3 s at 1M). So the first answer
is computed on the store and written under `build/cache/answers/<generation>/`; the next ask of
the same query reads it (under a millisecond at 119k quads). The saved queries that need no
parameter are answered before anyone asks, by the process `kg build` starts once it publishes
(`kg/warm.py`).

`kg query` keeps the answer as it printed it (keyed by the query text after its prefixes are
added, the format and the limit: a table of 27k rows takes longer to lay out than to read), the
Python API the W3C SPARQL JSON results it turns into rows (from which `kg query` also lays out
a format it has not printed yet); different parameters or dates are
different entries. It belongs to one generation: a new build publishes a new
generation and the answers of the old one are removed when the first answer of the new one is
written; `kg query --allow-update` (which changes the published store in place) clears it. Only
SELECT and ASK answers are kept. A build folder that cannot be written to is simply not cached.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ANSWERS_DIR = Path("cache") / "answers"
RESULTS = "results\x1f"
"""Prefix of the key of a query's W3C SPARQL JSON results (the rest is the checked query text)."""
LOCK = Path("cache") / "answers.lock"
"""Holds the count of updates made in place; locked shared to keep an answer, exclusive to update."""


@contextmanager
def _locked(build_dir: Path, exclusive: bool) -> Iterator[object | None]:
    """The lock file, open and locked (None where it cannot be: a read-only build folder keeps
    nothing anyway, and a system without `fcntl` runs unlocked)."""
    try:
        import fcntl
    except ImportError:
        yield None
        return
    try:
        (build_dir / LOCK).parent.mkdir(parents=True, exist_ok=True)
        handle = open(build_dir / LOCK, "a+", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError:
        yield None
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        handle.seek(0)
        yield handle


def stamp(build_dir: Path) -> str:
    """How many times the published store was updated in place, as kept in the lock file: read
    before the store is opened and handed to `keep`, so an answer computed on the store as it
    was before an update is never kept after it."""
    with _locked(build_dir, exclusive=False) as handle:
        return handle.read() if handle is not None else ""


@contextmanager
def updating(build_dir: Path) -> Iterator[None]:
    """Around an update of the published store in place: no answer is kept meanwhile, every kept
    answer is dropped after it, and answers computed before it are refused by `keep`."""
    with _locked(build_dir, exclusive=True) as handle:
        try:
            yield
        finally:
            shutil.rmtree(build_dir / ANSWERS_DIR, ignore_errors=True)
            if handle is not None:
                count = handle.read().strip()
                handle.seek(0)
                handle.truncate()
                handle.write(str(int(count) + 1 if count.isdigit() else 1))
                handle.flush()


def generation_of(build_dir: Path) -> str | None:
    """The name of the published generation `build_dir/store` belongs to, or None if unknown."""
    found = published_store(build_dir)
    return found[1] if found else None


def published_store(build_dir: Path) -> tuple[Path, str] | None:
    """The store folder `build_dir/store` leads to and the name of its generation, from one
    resolution of the links (a build published in between cannot make them disagree); None
    when there is no store."""
    from .store import STORE_DIR

    try:
        store = (build_dir / STORE_DIR).resolve(strict=True)
    except OSError:
        return None
    return store, store.parent.name.lstrip(".")


def _entry(build_dir: Path, generation: str, key: str) -> Path:
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return build_dir / ANSWERS_DIR / generation / f"{digest}.json"


def cached(build_dir: Path, generation: str | None, key: str) -> bytes | None:
    """The answer kept for `key` on this generation, as written by `keep`, or None."""
    if generation is None:
        return None
    try:
        return _entry(build_dir, generation, key).read_bytes()
    except OSError:
        return None


def keep(build_dir: Path, generation: str | None, key: str, data: bytes, since: str) -> None:
    """Keep `data` as the answer for `key`, unless another build was published, or the store
    updated in place, after `since` (the `stamp` read before the store was opened)."""
    if generation is None:
        return
    with _locked(build_dir, exclusive=False) as handle:
        if generation_of(build_dir) != generation or (handle.read() if handle is not None else "") != since:
            return
        _write(_entry(build_dir, generation, key), generation, data)


def _write(path: Path, generation: str, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for other in path.parent.parent.iterdir():
            if other.name != generation:
                shutil.rmtree(other, ignore_errors=True)  # answers of builds no longer published
        handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only build folder: answer without keeping it


def results(build_dir: Path, generation: str | None, text: str, run, since: str) -> object:  # noqa: ANN001
    """SELECT solutions or an ASK boolean for `text` (pyoxigraph query results): the kept W3C
    SPARQL JSON results, or `run()`'s, kept (`since`: as for `keep`). Solutions can be read only once, so what is
    returned is always read back from the JSON."""
    import pyoxigraph as ox

    key = RESULTS + text
    data = cached(build_dir, generation, key)
    if data is not None:
        try:
            return ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError):
            pass  # a damaged entry is recomputed, never shown
    data = run().serialize(format=ox.QueryResultsFormat.JSON)
    keep(build_dir, generation, key, data, since)
    return ox.parse_query_results(data, ox.QueryResultsFormat.JSON)


