"""Delta pushes: after a first full push, send a server only the blocks that came and went.

A build is a set of blocks that share no quads (see `assemble.Block`); the published store
keeps its block index (key, digest) beside it. What a server holds is recorded the same way,
per endpoint, in `build/cache/pushed.sqlite`. The next push compares the two indexes and sends
one SPARQL 1.1 Update per batch of blocks: `DELETE DATA` with the quads of the blocks that went
away, then `INSERT DATA` with those that came, and `DROP SILENT GRAPH` for the fact graphs left
empty. A one-article change at ten thousand articles is a few kilobytes of update instead of a
re-sent provenance graph of millions of triples.

This is plain W3C protocol, so any store with an update endpoint takes it (Oxigraph `/update`,
Fuseki `/DATASET/update`, GraphDB, Virtuoso, Neptune). It is idempotent: deleting absent quads
and inserting present ones change nothing, so a push interrupted half-way is simply sent again
from the recorded index, which is only replaced once every batch is in. The quads of recorded
blocks stay in the fragment cache (`pinned_digests`), so what went away can be deleted after
the build that dropped it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PUSHED = Path("cache") / "pushed.sqlite"
BATCH_BYTES = 4_000_000
"""N-Quads per update request, at most: large enough to be few, small enough for any server."""


@dataclass
class DeltaReport:
    removed_blocks: int = 0
    added_blocks: int = 0
    dropped_graphs: int = 0
    requests: int = 0
    bytes_sent: int = 0


class PushedIndex:
    """The block index each endpoint holds, as recorded after its last complete push."""

    def __init__(self, build_dir: Path) -> None:
        path = build_dir / PUSHED
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.execute("CREATE TABLE IF NOT EXISTS pushed (endpoint TEXT, key TEXT, digest TEXT, "
                            "PRIMARY KEY (endpoint, key))")
        except sqlite3.DatabaseError:  # damaged: forget it, and the next push is a full one
            path.unlink(missing_ok=True)
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.execute("CREATE TABLE pushed (endpoint TEXT, key TEXT, digest TEXT, PRIMARY KEY (endpoint, key))")

    def __enter__(self) -> "PushedIndex":
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def load(self, endpoint: str) -> dict[str, str] | None:
        rows = self.db.execute("SELECT key, digest FROM pushed WHERE endpoint = ?", (endpoint,)).fetchall()
        return dict(rows) if rows else None

    def save(self, endpoint: str, index: Iterable[tuple[str, str]]) -> None:
        """Replace what `endpoint` is recorded to hold, in one transaction."""
        self.db.execute("BEGIN")
        self.db.execute("DELETE FROM pushed WHERE endpoint = ?", (endpoint,))
        self.db.executemany("INSERT OR REPLACE INTO pushed VALUES (?, ?, ?)", ((endpoint, k, d) for k, d in index))
        self.db.execute("COMMIT")

    def forget(self, endpoint: str) -> None:
        self.db.execute("DELETE FROM pushed WHERE endpoint = ?", (endpoint,))

    def digests(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT DISTINCT digest FROM pushed")}


def pinned_digests(build_dir: Path) -> set[str]:
    """Digests some server holds: their fragments must outlive the build that dropped them."""
    if not (build_dir / PUSHED).is_file():
        return set()
    with PushedIndex(build_dir) as pushed:
        return pushed.digests()


def update_bodies(removed: Iterable[bytes], added: Iterable[bytes], dropped: Iterable[str]) -> Iterator[bytes]:
    """SPARQL Update requests for these N-Quads fragments, each at most about `BATCH_BYTES`."""
    batch: list[bytes] = []
    size = 0

    def flush() -> Iterator[bytes]:
        nonlocal batch, size
        if batch:
            yield b" ;\n".join(batch)
        batch, size = [], 0

    for operation, fragments in (("DELETE DATA", removed), ("INSERT DATA", added)):
        for data in fragments:
            if not data:
                continue
            if size + len(data) > BATCH_BYTES:
                yield from flush()
            batch.append(_operation(operation, data))
            size += len(data)
    yield from flush()
    graphs = sorted(set(dropped))
    for i in range(0, len(graphs), 500):
        yield " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs[i:i + 500]).encode("utf-8")


def _operation(operation: str, nquads: bytes) -> bytes:
    """`DELETE DATA { GRAPH <g> { s p o . } ... }` for N-Quads: N-Triples terms are SPARQL terms."""
    import pyoxigraph as ox

    by_graph: dict[str, list] = {}
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        by_graph.setdefault(str(quad.graph_name), []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
    parts = [f"GRAPH {graph} {{\n".encode() + ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) + b"}"
             for graph, triples in by_graph.items()]
    return operation.encode() + b" {\n" + b"\n".join(parts) + b"\n}"


def graphs_of(nquads: bytes) -> set[str]:
    import pyoxigraph as ox

    return {quad.graph_name.value for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
            if isinstance(quad.graph_name, ox.NamedNode)}


def plan(old: dict[str, str], new: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """(digests that went away, digests that came), each in a stable order."""
    new_digests = {digest for _, digest in new}
    old_digests = set(old.values())
    gone = sorted(old_digests - new_digests)
    came = list(dict.fromkeys(digest for _, digest in new if digest not in old_digests))
    return gone, came


def send_delta(old: dict[str, str], new: list[tuple[str, str]], nquads_of: Callable[[str], bytes | None],
               present_graphs: set[str], post: Callable[[bytes], None]) -> DeltaReport | None:
    """Send the change from `old` to `new` through `post` (one update request per call).

    None when a fragment of a block that went away is no longer known, so the delta cannot be
    computed and the caller pushes in full."""
    gone, came = plan(old, new)
    removed = [nquads_of(d) for d in gone]
    if any(data is None for data in removed):
        return None
    emptied = set().union(*(graphs_of(data) for data in removed if data)) - present_graphs
    report = DeltaReport(removed_blocks=len(gone), added_blocks=len(came), dropped_graphs=len(emptied))
    def added() -> Iterator[bytes]:
        for digest in came:
            data = nquads_of(digest)
            if data is None:  # the build that made this index wrote every fragment of it
                raise LookupError(f"block {digest} of the published build is not in the fragment cache")
            yield data


    for body in update_bodies((r or b"" for r in removed), added(), emptied):
        post(body)
        report.requests += 1
        report.bytes_sent += len(body)
    return report
