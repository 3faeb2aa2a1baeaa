"""A content-addressed cache of serialised blocks, so a build re-renders only what changed.

Every block of the dataset (an article, the entities, the agents, one fact with its provenance;
see `assemble.Block`) is keyed by a digest of everything its quads depend on. Its N-Quads and
JSON-LD are kept in one SQLite file under `build/cache/` (its TriG and Turtle are the N-Quads lines
grouped by graph, made from them when written). A build then writes
each output file by concatenating fragments in block order, rendering only the blocks it has
not seen before, and the store is patched with the quads of the blocks that came and went.

Entries are immutable and written in transactions, so a build killed at any moment leaves the
cache usable: at worst it holds fragments that no build uses, which the next build prunes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from json.encoder import encode_basestring  # the JSON string form Oxigraph writes too (tests/test_fragments.py)
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

FORMATS = ("nq", "trig", "ttl", "jsonld")
FILES = {"nq": "dataset.nq", "trig": "dataset.trig", "ttl": "graph.ttl", "jsonld": "dataset.jsonld"}
"""The export file of each format, for small and streamed builds alike."""
_COLUMNS = "digest TEXT PRIMARY KEY, nq BLOB, jsonld BLOB, quads INTEGER"


@dataclass(frozen=True)
class Fragment:
    """One block serialised in every output format (bytes, ready to concatenate).

    Only the N-Quads and the JSON-LD are kept: the TriG and Turtle are the same lines grouped by
    graph, made from the N-Quads when asked for. Keeping all four had the cache hold (and a
    build from nothing write) 150 MB at 400 synthetic articles, the two derived ones 85 MB of it."""

    nq: bytes
    jsonld: bytes
    quads: int = 0

    @cached_property
    def _by_graph(self) -> tuple[bytes, bytes]:
        return by_graph(self.nq)

    @property
    def trig(self) -> bytes:
        """The TriG: one `GRAPH { }` block per named graph, in the order the graphs first come."""
        return self._by_graph[0]

    @property
    def ttl(self) -> bytes:
        """The triples, graph by graph (a Turtle fragment of the union graph)."""
        return self._by_graph[1]


def by_graph(nq: bytes) -> tuple[bytes, bytes]:
    """The TriG and Turtle of a block from its N-Quads: every line ends with its graph's IRI
    and " .", and an IRI holds no space, so the graph is the line's last word but one."""
    graphs: dict[bytes, list[bytes]] = {}
    for line in nq.splitlines():
        triple, graph, _ = line.rsplit(b" ", 2)
        graphs.setdefault(graph, []).append(triple + b" .\n")
    return (b"".join(b"%s {\n%s}\n" % (graph, b"".join(triples)) for graph, triples in graphs.items()),
            b"".join(b"".join(triples) for triples in graphs.values()))


_XSD_STRING = str(XSD.string)


_ESCAPES = {**{c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F)},
            0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}
"""How Oxigraph writes a character inside an N-Triples string (its canonical form, which
`tests/test_fragments.py` checks against Oxigraph itself for every character up to U+3000)."""


def nt_term(term: object) -> str:
    """The N-Triples form of an rdflib IRI or literal, exactly as Oxigraph writes it."""
    if type(term) is URIRef:
        return f"<{term}>"
    if isinstance(term, Literal):
        return _nt_literal(str(term), term.language, str(term.datatype or _XSD_STRING))
    if isinstance(term, URIRef):
        return f"<{term}>"
    raise TypeError(f"no blank nodes or other terms are expected in the dataset: {term!r}")


@lru_cache(maxsize=32768)
def _nt_literal(text: str, language: str | None, datatype: str) -> str:
    quoted = f'"{text.translate(_ESCAPES)}"'
    if language:
        return f"{quoted}@{language.lower()}"
    return quoted if datatype == _XSD_STRING else f"{quoted}^^<{datatype}>"


def render_fragment(quads: list[tuple]) -> Fragment:
    """Serialise one block's quads (see `render_fragments`)."""
    return render_fragments([quads])[0]


def render_fragments(blocks: Iterable[list[tuple]]) -> list[Fragment]:
    """Serialise each block's quads, the terms exactly as generated.

    Both kept formats are written here, term by term, as Oxigraph writes them: the N-Quads lines in its
    canonical form and the JSON-LD as its streaming serialiser groups quads (a graph, in it a
    subject, in it a predicate, while they follow each other; a predicate the subject had before
    opens the subject again). Reading the N-Quads back into Oxigraph to have it write the JSON-LD
    cost more than half of the rendering (1.5 s of 2.7 s for the 200k quads of 400 synthetic
    articles); `tests/test_fragments.py` checks the bytes against Oxigraph's. Every IRI is checked
    by Oxigraph once (`_json_iri`). The TriG fragment (`Fragment.trig`, made from the N-Quads)
    holds one `GRAPH { }` block per named graph; blocks of one graph may repeat across fragments,
    which TriG merges. The JSON-LD fragment is
    the inside of an expanded JSON-LD array (no brackets), so fragments join with commas.

    `blocks` may be an iterator that makes each block's quads when asked: only one block's terms
    are then alive at a time (a batch of a build's facts, all made first, is hundreds of
    thousands of rdflib terms).
    """
    return [_render(quads) for quads in blocks]


def _render(quads: list[tuple]) -> Fragment:
    if not quads:
        return Fragment(b"", b"", 0)
    lines: list[str] = []
    out: list[str] = []  # the JSON-LD, as Oxigraph's streaming serialiser writes it
    graph = subject = predicate = None
    emitted: set = set()
    for s, p, o, g in quads:
        # terms are compared by their N-Triples text: comparing rdflib terms costs a Python call each
        ns, np, no, ng = nt_term(s), nt_term(p), nt_term(o), _iri_text(g)
        triple = f"{ns} {np} {no}"
        lines.append(f"{triple} {ng} .\n")
        if graph is not None and ng != graph:
            out.append("]}]}")
            subject = predicate = None
            emitted.clear()
        elif subject is not None and (ns != subject or (np != predicate and np in emitted)):
            out.append("]}")
            subject = predicate = None
            emitted.clear()
        elif predicate is not None and np != predicate:
            out.append("]")
            emitted.add(predicate)
            predicate = None
        if subject is None:
            if graph != ng:
                out.append(f'{"," if graph is not None else ""}{{"@id":{_json_iri(ng)},"@graph":[')
            else:
                out.append(",")
            graph = ng
            out.append(f'{{"@id":{_json_iri(ns)}')
            subject = ns
        if predicate is None:
            out.append(f",{_json_iri(np)}:[")
            predicate = np
        else:
            out.append(",")
        out.append(_json_term(o, no))
    out.append("]}]}")
    return Fragment("".join(lines).encode(), "".join(out).encode(), len(quads))


def _iri_text(iri: object) -> str:
    return f"<{iri}>"


@lru_cache(maxsize=131072)
def _json_iri(text: str) -> str:
    """An IRI, given in its N-Triples form, as a JSON string, once Oxigraph has accepted it (an
    invalid IRI is refused, not written)."""
    import pyoxigraph as ox

    iri = text[1:-1]
    try:
        ox.NamedNode(iri)  # made only to be checked: this function's cache keeps the answer
    except ValueError as exc:
        raise SyntaxError(f"not an IRI: {text}: {exc}") from exc
    return encode_basestring(iri)


def _json_term(term: object, text: str) -> str:
    """The JSON-LD object of an rdflib IRI or literal whose N-Triples form is `text`."""
    if text[0] == "<":
        return f'{{"@id":{_json_iri(text)}}}'
    value = encode_basestring(str(term))
    if term.language:  # type: ignore[attr-defined]
        return f'{{"@language":{_json_language(term.language)},"@value":{value}}}'  # type: ignore[attr-defined]
    if text[-1] == '"':
        return f'{{"@value":{value}}}'
    return f'{{"@type":{_json_iri(text[text.rindex("^^<") + 2:])},"@value":{value}}}'


@lru_cache(maxsize=256)
def _json_language(tag: str) -> str:
    """A language tag as Oxigraph keeps it (lower case), once Oxigraph has accepted it."""
    import pyoxigraph as ox

    try:
        ox.Literal("", language=tag)
    except ValueError as exc:
        raise SyntaxError(f"not a language tag: {tag!r}: {exc}") from exc
    return encode_basestring(tag.lower())


def render_missing(blocks: list, known: set[str], made: "dict[str, Fragment] | None" = None) -> dict[str, Fragment]:
    """The fragment of each of `blocks` (`assemble.Block`) whose digest is not `known`, by digest:
    taken from `made` (what a worker rendered already) or rendered here, one block's quads at a
    time."""
    fresh = {b.digest: b for b in blocks if b.digest not in known}
    found = {d: made[d] for d in fresh if d in made} if made else {}
    need = [b for d, b in fresh.items() if d not in found]
    found.update(zip((b.digest for b in need), render_fragments(b.quads() for b in need)))
    return found


class MissingFragment(LookupError):
    """A block expected in the cache is not there (the cache was damaged or deleted): the build
    that needs it is done again in full, rendering every block."""


class FragmentCache:
    """Fragments by digest in `path` (SQLite). Use as a context manager.

    With `background`, what is committed is written by a thread on its own connection while the
    caller goes on (SQLite lets go of the GIL while it writes): a full build from nothing stores
    every fragment, 170 MB at 400 articles, and writing them took the build's process 1.1 s. What
    is still being written counts as known; reading a fragment waits for the writes first."""

    def __init__(self, path: Path, background: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        try:
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            # a cache: a killed process leaves WAL transactions whole without syncs; only a crash
            # of the machine could damage it, and a damaged cache is only a slower build (below)
            self.db.execute("PRAGMA synchronous=OFF")
            columns = [row[1] for row in self.db.execute("PRAGMA table_info(fragment)")]
            if columns and columns != [c.split()[0] for c in _COLUMNS.split(", ")]:
                self.db.execute("DROP TABLE fragment")  # written by an older version: start again
            self.db.execute(f"CREATE TABLE IF NOT EXISTS fragment ({_COLUMNS})")
        except sqlite3.DatabaseError:  # a damaged cache is only a slower build: start a new one
            path.unlink(missing_ok=True)
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.execute(f"CREATE TABLE fragment ({_COLUMNS})")
        self._pending: list[tuple] = []
        self._writer: _Writer | None = _Writer(path) if background else None

    def __enter__(self) -> "FragmentCache":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            if self._writer is not None:
                writer, self._writer = self._writer, None
                writer.close()
        finally:
            self.db.close()

    def wait(self) -> None:
        """Wait until what was committed is written (at once without `background`); a write
        that failed raises here."""
        if self._writer is not None:
            self._writer.drain()

    def known(self, digests: Iterable[str]) -> set[str]:
        """Which of `digests` are cached (or being written)."""
        wanted = list(dict.fromkeys(digests))
        found: set[str] = self._writer.writing(wanted) if self._writer is not None else set()
        for i in range(0, len(wanted), 900):
            chunk = wanted[i:i + 900]
            rows = self.db.execute(f"SELECT digest FROM fragment WHERE digest IN ({','.join('?' * len(chunk))})", chunk)
            found.update(row[0] for row in rows)
        return found

    def get(self, digest: str, formats: Iterable[str] = FORMATS) -> Fragment | None:
        """The fragment, with only what `formats` need read (N-Quads for TriG and Turtle too; the
        others are empty)."""
        return self.get_many([digest], formats).get(digest)

    def get_many(self, digests: Iterable[str], formats: Iterable[str] = FORMATS) -> dict[str, Fragment]:
        """Fragments by digest, with only what `formats` need read, in one query per 500 (writing a
        400-article build's exports read 30k fragments one query each, 0.4 s); those not cached
        are missing."""
        self.wait()
        wanted_formats = set(formats)
        columns = (["nq"] if wanted_formats & {"nq", "trig", "ttl"} else []) + \
            (["jsonld"] if "jsonld" in wanted_formats else [])
        wanted = list(dict.fromkeys(digests))
        found: dict[str, Fragment] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            rows = self.db.execute(f"SELECT digest, {', '.join([*columns, 'quads'])} FROM fragment "
                                   f"WHERE digest IN ({','.join('?' * len(chunk))})", chunk)
            for digest, *values in rows:
                kept = dict(zip([*columns, "quads"], values))
                found[digest] = Fragment(kept.get("nq", b""), kept.get("jsonld", b""), quads=kept["quads"])
        return found

    def quad_total(self, digests: Iterable[str]) -> int:
        """The quads of these fragments, summed inside SQLite (one query, not one per block)."""
        self.wait()
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (digest TEXT)")
        self.db.execute("DELETE FROM wanted")
        self.db.executemany("INSERT INTO wanted VALUES (?)", ((d,) for d in digests))
        row = self.db.execute("SELECT COALESCE(SUM(f.quads), 0) FROM wanted w JOIN fragment f ON f.digest = w.digest")
        return int(row.fetchone()[0])

    def nquads(self, digest: str) -> bytes | None:
        self.wait()
        row = self.db.execute("SELECT nq FROM fragment WHERE digest = ?", (digest,)).fetchone()
        return row[0] if row else None

    def put(self, digest: str, fragment: Fragment) -> None:
        """Queue a fragment; `commit` writes the queue in one transaction."""
        self._pending.append((digest, fragment.nq, fragment.jsonld, fragment.quads))
        if len(self._pending) >= 2000:
            self.commit()

    def commit(self) -> None:
        if not self._pending:
            return
        if self._writer is not None:
            self._writer.send(self._pending)
            self._pending = []
            return
        self.db.execute("BEGIN")
        self.db.executemany("INSERT OR IGNORE INTO fragment VALUES (?, ?, ?, ?)", self._pending)
        self.db.execute("COMMIT")
        self._pending = []

    def count(self) -> int:
        self.wait()
        return int(self.db.execute("SELECT COUNT(*) FROM fragment").fetchone()[0])

    def drop(self, digests: Iterable[str]) -> int:
        """Drop these fragments; how many were dropped."""
        self.commit()
        self.wait()
        wanted = list(digests)
        self.db.execute("BEGIN")
        dropped = 0
        for i in range(0, len(wanted), 900):
            chunk = wanted[i:i + 900]
            dropped += self.db.execute(f"DELETE FROM fragment WHERE digest IN ({','.join('?' * len(chunk))})",
                                       chunk).rowcount
        self.db.execute("COMMIT")
        return dropped

    def prune(self, keep: Iterable[str]) -> int:
        """Drop every fragment whose digest is not in `keep`; how many were dropped."""
        self.commit()
        self.wait()
        self.db.execute("BEGIN")
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (digest TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM keep")
        self.db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((d,) for d in keep))
        dropped = self.db.execute("DELETE FROM fragment WHERE digest NOT IN (SELECT digest FROM keep)").rowcount
        self.db.execute("COMMIT")
        return dropped


class _Writer:
    """The thread that writes a `FragmentCache`'s commits, one transaction each, in order."""

    def __init__(self, path: Path) -> None:
        import queue
        import threading

        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA synchronous=OFF")
        self._queue: "queue.Queue[list[tuple] | None]" = queue.Queue(maxsize=4)
        self._lock = threading.Lock()
        self._inflight: dict[str, int] = {}  # digest -> batches still to write holding it
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="kg-fragment-cache", daemon=True)
        self._thread.start()

    def send(self, rows: list[tuple]) -> None:
        if self._error is not None:
            raise self._error
        with self._lock:
            for row in rows:
                self._inflight[row[0]] = self._inflight.get(row[0], 0) + 1
        self._queue.put(rows)

    def writing(self, digests: list[str]) -> set[str]:
        with self._lock:
            return {d for d in digests if d in self._inflight}

    def _run(self) -> None:
        while (rows := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._db.execute("BEGIN")
                    self._db.executemany("INSERT OR IGNORE INTO fragment VALUES (?, ?, ?, ?)", rows)
                    self._db.execute("COMMIT")
                except BaseException as exc:  # noqa: BLE001 - raised in the caller's thread by drain()
                    self._error = exc
            with self._lock:
                for row in rows:
                    left = self._inflight.pop(row[0]) - 1
                    if left:
                        self._inflight[row[0]] = left
            self._queue.task_done()
        self._queue.task_done()

    def drain(self) -> None:
        """Wait until every batch sent is written; raise what failed."""
        self._queue.join()
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        """Write what is queued, end the thread; raise what failed."""
        self._queue.put(None)
        self._thread.join()
        self._db.close()
        if self._error is not None:
            raise self._error
