"""The persistent SPARQL store of a build: an Oxigraph database under `build/store/`.

Queries see the default graph as the union of all named graphs, so simple questions need no
GRAPH clause, while GRAPH patterns still reach each fact's assertion and the provenance graph.
Each build makes its store inside its own generation (see `generations.py`): bulk-loaded, or
patched from a copy of the published one, which is never written to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BuildError
from .generations import CURRENT

if TYPE_CHECKING:
    from .fragments import FragmentCache

STORE_DIR = "store"

INDEX = "blocks.tsv"
"""Beside each generation's store: the blocks (key, digest) it holds, which the next build patches."""


def write_store(generation: Path, nquads: bytes) -> Path:
    """Load N-Quads into a fresh on-disk store in `generation` (published with it)."""
    import pyoxigraph as ox

    try:
        store = ox.Store(str(generation / STORE_DIR))
        store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()
        del store
        return generation / STORE_DIR
    except OSError as exc:
        raise BuildError(f"cannot write the SPARQL store: {exc.strerror}", path=generation,
                         hint="check free disk space and permissions") from None


def previous_lines(out_dir: Path) -> list[str] | None:
    """The block index of the published store of `out_dir` as its lines (`key<TAB>digest`), or
    None when it has no index. Lines, not pairs: an incremental build keeps most of them as they
    are (see `stream.Kept`), and splitting 280k lines into pairs was 0.3 s of a 3 s build."""
    from .generations import current_generation

    current = current_generation(out_dir)
    if current is None:
        return None
    try:
        stat = (current / INDEX).stat()
    except OSError:
        return None
    return _read_index(current / INDEX, stat.st_mtime_ns, stat.st_size)


def previous_index(out_dir: Path) -> list[tuple[str, str]] | None:
    """The blocks (key, digest) held by the published store of `out_dir`, or None when it has no
    index."""
    lines = previous_lines(out_dir)
    return None if lines is None else [(line[:-DIGEST_CHARS - 1], line[-DIGEST_CHARS:]) for line in lines]


DIGEST_CHARS = 64
"""A block digest is a SHA-256 in hex (`assemble._digest`): the last 64 characters of its line."""


@lru_cache(maxsize=2)
def _read_index(path: Path, mtime: int, size: int) -> list[str] | None:
    """A generation's block index, read once however often a build asks (a generation's files
    never change once written; the stat in the key tells a new one apart). None when damaged:
    not ending in a line break, or a first or last line not shaped `key<TAB>digest`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    if not text:
        return []
    lines = text.split("\n")
    if lines.pop() != "" or not all(len(line) > DIGEST_CHARS + 1 and line[-DIGEST_CHARS - 1] == "\t"
                                    for line in (lines[0], lines[-1])):
        return None
    return lines


def index_line(key: str, digest: str) -> str:
    return f"{key}\t{digest}"


class IndexDiff:
    """The digests of the last build's block index and this one's, and what went and came: made
    once per build (sets of 280k digests at 10k articles, which the quad count, the store patch
    and the cache clean-up each made again). `local` makes one from the lines that differ alone."""

    def __init__(self, previous: list[str] | None, index: list[str]) -> None:
        self.old = {line[-DIGEST_CHARS:] for line in previous} if previous is not None else None
        self.has_previous = previous is not None
        """Whether there was a last index, so `gone` and `came` are what changed since it."""
        self._index = index
        self.size = len(index)

    @classmethod
    def local(cls, replaced: list[str], written: list[str], index: list[str]) -> "IndexDiff":
        """The diff of an index that is the last one with the lines `replaced` swapped for the
        lines `written`, everything else kept in place: block digests are unique (each covers
        its block's key), so what went and came is found among these lines alone (`old` is
        left unread: None)."""
        diff = cls(None, index)
        diff.has_previous = True
        before = {line[-DIGEST_CHARS:] for line in replaced}
        after = {line[-DIGEST_CHARS:] for line in written}
        diff.gone, diff.came = before - after, after - before  # what the cached properties would give
        return diff

    @cached_property
    def new(self) -> set[str]:
        return {line[-DIGEST_CHARS:] for line in self._index}

    @cached_property
    def gone(self) -> set[str]:
        return self.old - self.new if self.old is not None else set()

    @cached_property
    def came(self) -> set[str]:
        return self.new - self.old if self.old is not None else set(self.new)


def patch_or_load_store(out_dir: Path, generation: Path, index: list[str], fragments: "FragmentCache",
                        nquads: Path, loaded: bool = False, diff: IndexDiff | None = None) -> str:
    """Make `generation/store` for `index`: "patched" or "loaded" (`loaded`: a `StoreLoader`
    already made it while the exports were written).

    When the published store has a block index and the cache still holds the fragments of every
    block that went away, the store is copied (a RocksDB checkpoint: hard links, no data copied)
    and only the blocks that came or went are removed and added. Otherwise `nquads` is
    bulk-loaded. Either way the published store is only read.
    """
    import pyoxigraph as ox

    if diff is None or not diff.has_previous:
        old = None if loaded else previous_lines(out_dir)
        diff = IndexDiff(old, index) if old is not None else None
    mode = "loaded"
    if diff is not None and not loaded:
        gone = sorted(diff.gone)
        came = sorted(diff.came)
        # Past a quarter of the store (a new kg version re-renders every block) loading is cheaper.
        small = len(gone) + len(came) <= max(1000, diff.size // 4)
        removed = [fragments.nquads(digest) for digest in gone] if small else [None]
        if all(data is not None for data in removed):
            source = ox.Store.read_only(str(out_dir / CURRENT / STORE_DIR))
            source.backup(str(generation / STORE_DIR))
            del source
            store = ox.Store(str(generation / STORE_DIR))
            emptied: set = set()
            for data in removed:
                for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
                    store.remove(quad)
                    emptied.add(quad.graph_name)
            added = b"".join(fragments.nquads(digest) or b"" for digest in dict.fromkeys(came))
            store.extend(ox.parse(added, format=ox.RdfFormat.N_QUADS))
            for graph in sorted(emptied, key=str):  # a fact that went away leaves no empty graph behind
                if isinstance(graph, ox.NamedNode) and next(iter(store.quads_for_pattern(None, None, None, graph)), None) is None:
                    store.remove_graph(graph)
            store.flush()
            del store
            mode = "patched"
    if mode == "loaded" and not loaded:
        if not nquads.is_file():  # staged only when no patch was expected: write it from the fragments
            from .fragments import MissingFragment

            with open(nquads, "wb") as handle:
                for line in index:
                    data = fragments.nquads(line[-DIGEST_CHARS:])
                    if data is None:
                        raise MissingFragment(line[:-DIGEST_CHARS - 1])
                    handle.write(data)
        store = ox.Store(str(generation / STORE_DIR))
        bulk_load_in_parts(store, nquads)
        store.flush()
        store.optimize()
        del store
    write_index(generation / INDEX, index)
    return mode


def write_index(path: Path, index: list[str]) -> None:
    """The block index (its lines) as `previous_lines` reads it, written 10k lines at a time: made
    as one string it was the last peak of a 10k-article build (+100 MB for 280k blocks)."""
    with open(path, "w", encoding="utf-8") as handle:
        for start in range(0, len(index), 10_000):
            handle.write("\n".join(index[start:start + 10_000]) + "\n")


def stale_inputs(build_dir: Path, sources: Path, ontology: Path) -> list[str]:
    """Input files added, removed or changed since the build was made (empty: up to date)."""
    from .generations import INPUTS_CACHE, MANIFEST, input_fingerprint

    manifest_path = build_dir / MANIFEST
    if not manifest_path.is_file():
        return ["(no manifest.json)"]
    built = json.loads(manifest_path.read_text(encoding="utf-8")).get("inputs", {})
    if not sources.is_dir():
        return []
    now = input_fingerprint(sources, ontology, build_dir / INPUTS_CACHE)
    return sorted(k for k in set(built) | set(now) if built.get(k) != now.get(k))


@dataclass
class GraphStore:
    """A read-only handle on a built store."""

    path: Path
    store: object

    def query(self, sparql: str, **kwargs: object) -> object:
        """Run SPARQL with the union of named graphs as the default graph (pyoxigraph results)."""
        return self.store.query(sparql, use_default_graph_as_union=True, **kwargs)  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self.store)  # type: ignore[arg-type]


LOAD_LINES = 100_000
"""N-Quads lines per bulk load: Oxigraph's bulk loader buffers what it is given, so a corpus
loaded in one call peaks at hundreds of megabytes more than one loaded in parts (measured at
500k quads: 504 MB in one call, 189 MB in parts of 100k lines, 15% slower)."""


def bulk_load_in_parts(store, nquads: Path) -> None:  # noqa: ANN001 - a pyoxigraph Store
    import itertools

    import pyoxigraph as ox

    with open(nquads, "rb") as handle:
        while lines := list(itertools.islice(handle, LOAD_LINES)):
            store.bulk_load(b"".join(lines), format=ox.RdfFormat.N_QUADS)


LOADER_PART_LINES = 10_000
"""N-Quads lines per bulk load in the loading thread: small parts keep what is left to load when
the exports are done small, and the build waits only for that. On 400 synthetic articles
(`--jobs 2`, 2 cores) the wait at the end was 1.74 s with parts of 100k lines, 0.71 s with 25k,
0.39 s with 10k, the whole build 21.2 s, 20.0 s, 18.5 s; memory stays bounded the same way."""


class StoreLoader:
    """A new store bulk-loaded in a thread, part by part, while the caller still writes the
    exports: Oxigraph's bulk loader releases the GIL, so the load no longer waits for the
    exports (and they not for it). Parts of `LOADER_PART_LINES` quads, at most two waiting, keep memory
    bounded as `bulk_load_in_parts` does. `finish` waits for the load; `close` always follows."""

    def __init__(self, path: Path) -> None:
        import queue
        import threading

        import pyoxigraph as ox

        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._store = ox.Store(str(path))
        self._parts: "queue.Queue[bytes | object | None]" = queue.Queue(maxsize=2)
        self._buffer: list[bytes] = []
        self._lines = 0
        self._error: BaseException | None = None
        self._fed = False
        self._thread = threading.Thread(target=self._load, name="kg-store-load", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        import pyoxigraph as ox

        while (part := self._parts.get()) is not None:
            if self._error is not None:
                continue
            try:
                if part is _FINISH:  # everything is fed: compact now, while the caller writes on
                    self._store.flush()
                    self._store.optimize()
                else:
                    # lenient: the fragments' IRIs and language tags were checked by Oxigraph as
                    # they were rendered (`fragments._json_iri`); checking them again here cost
                    # a sixth of the load
                    self._store.bulk_load(part, format=ox.RdfFormat.N_QUADS, lenient=True)
            except BaseException as exc:  # noqa: BLE001 - handed to the writing thread in finish()
                self._error = exc

    def feed(self, nquads: bytes, lines: int) -> None:
        """Add `lines` whole N-Quads lines."""
        self._buffer.append(nquads)
        self._lines += lines
        if self._lines >= LOADER_PART_LINES:
            self._send()

    def _send(self) -> None:
        if self._buffer:
            self._parts.put(b"".join(self._buffer))
            self._buffer, self._lines = [], 0

    def fed(self) -> None:
        """Nothing more will be fed: the thread loads what is left and makes the store ready to be
        read (flush, optimize) while the caller goes on; `finish` waits for it. Optimising 200k
        quads takes 0.4 s, which the exports' writing now hides."""
        if not self._fed:
            self._fed = True
            self._send()
            self._parts.put(_FINISH)

    def finish(self) -> None:
        """Load what is left, wait for the load, and make the store ready to be read."""
        self.fed()
        self._stop()
        if self._error is not None:
            raise self._error

    def _stop(self) -> None:
        if self._thread.is_alive():
            self._parts.put(None)
            self._thread.join()

    def close(self) -> None:
        """End the thread (after a failure too: the half-made store goes with its generation) and
        close the store, so the generation can be published or removed."""
        self._stop()
        self._store = None


_FINISH = object()
"""The part that tells the loading thread everything is fed."""


def open_store(build_dir: Path, in_memory: bool = False) -> GraphStore:
    """Open `build_dir/store` read-only (or load the build into memory); a clear error when there
    is no build."""
    import pyoxigraph as ox

    path = build_dir / STORE_DIR
    if not path.is_dir():
        raise BuildError("no SPARQL store in this build", path=build_dir, hint="run `kg build` first")
    if in_memory:
        store = ox.Store()
        if (build_dir / "dataset.nq").is_file():
            store.bulk_load(path=str(build_dir / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
        else:  # a build made with --formats that left N-Quads out
            store.bulk_extend(ox.Store.read_only(str(path)).quads_for_pattern(None, None, None, None))
        return GraphStore(path, store)
    try:
        store = ox.Store.read_only(str(path))
    except OSError as exc:
        raise BuildError(f"cannot open the SPARQL store: {exc}", path=path,
                         hint="run `kg build` again to recreate it") from None
    return GraphStore(path, store)
