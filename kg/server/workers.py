"""Query workers: long-lived processes that each open the store read-only and can be killed.

pyoxigraph cannot interrupt a running query, and it would make SERVICE calls by itself, so the
server never runs a query in its own process: it sends a checked query to a free worker, waits
at most the time limit, and on timeout kills that worker and starts a fresh one. The worker
serialises the whole answer before replying, so a client never gets a truncated 200.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
from dataclasses import dataclass
from pathlib import Path

SELECT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "ntriples",
    "text/plain": "ntriples", "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml",
}
MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
         "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
         "turtle": "text/turtle; charset=utf-8", "ntriples": "application/n-triples",
         "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}


@dataclass(frozen=True)
class Job:
    text: str
    kind: str
    fmt: str
    max_rows: int


@dataclass(frozen=True)
class Reply:
    ok: bool
    body: bytes
    media: str
    rows: int = 0
    truncated: bool = False
    error: str = ""
    generation: str = ""
    """The build generation the worker answered from ("" if the store is no published generation)."""


def _serve(conn, store_path: str, memory: bool = False) -> None:  # noqa: ANN001 - a multiprocessing Connection
    import dataclasses

    import pyoxigraph as ox

    from ..answers import published_store

    # the generation behind the `store` link, opened by its own path: a build published meanwhile
    # cannot slip in between, so every answer is marked with the build it really came from
    build_dir = Path(store_path).parent
    found = published_store(build_dir)
    generation = found[1] if found else ""
    store_path = str(found[0]) if found else store_path
    stores = [ox.Store.read_only(store_path)]
    if memory:  # answer from disk at once; from memory once the copy is loaded
        import threading

        threading.Thread(target=_copy_into_memory, args=(stores, store_path), daemon=True).start()
    while True:
        try:
            job: Job = conn.recv()
        except EOFError:
            return
        try:
            kept = _kept(build_dir, generation, job)
            reply = _answer(stores[-1], job) if kept is None else _reply(kept, job)
            conn.send(dataclasses.replace(reply, generation=generation))
        except Exception as exc:  # noqa: BLE001 - every failure is reported to the server
            conn.send(Reply(False, b"", "text/plain", error=f"the query failed: {exc}"))


def _copy_into_memory(stores: list, store_path: str) -> None:
    """Load the build into an in-memory store and make it the one queries use: Oxigraph answers
    from memory four to six times faster than from its on-disk store (bench_sparql). The copy
    comes from the N-Quads file of the same generation when there is one (a bulk load that
    releases the GIL, so queries go on meanwhile), else from the on-disk store itself."""
    import pyoxigraph as ox

    memory = ox.Store()
    nquads = Path(store_path).resolve().parent / "dataset.nq"
    try:
        if nquads.is_file():
            memory.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        else:
            memory.bulk_extend(stores[0].quads_for_pattern(None, None, None, None))
    except (OSError, SyntaxError, ValueError):
        return  # the disk store goes on answering
    stores.append(memory)


def _kept(build_dir: Path, generation: str, job: Job) -> object | None:
    """The results of a SELECT or ASK this generation already gave, as `kg/answers.py` keeps them
    (`kg build` answers the saved queries once it publishes, `kg/warm.py`): read, not run again."""
    if not generation or job.kind not in ("select", "ask"):
        return None
    import pyoxigraph as ox

    from ..answers import RESULTS, cached

    data = cached(build_dir, generation, RESULTS + job.text)
    if data is None:
        return None
    try:
        return ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError):
        return None  # a damaged entry: the query runs


def _answer(store, job: Job) -> Reply:  # noqa: ANN001
    try:
        result = store.query(job.text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        return Reply(False, b"", "text/plain", error=f"SPARQL syntax error: {exc}")
    return _reply(result, job)


def _reply(result, job: Job) -> Reply:  # noqa: ANN001 - pyoxigraph query results
    """The HTTP body of `job`'s format, cut at its row cap."""
    import itertools

    import pyoxigraph as ox

    media = MEDIA[job.fmt]
    if job.kind == "ask":
        fmt = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
               "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[job.fmt]
        return Reply(True, result.serialize(format=fmt), media, rows=1)
    if job.kind in ("construct", "describe"):
        triples = list(itertools.islice(result, job.max_rows + 1))
        truncated = len(triples) > job.max_rows
        triples = triples[:job.max_rows]
        fmt = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
               "rdfxml": ox.RdfFormat.RDF_XML}[job.fmt]
        return Reply(True, ox.serialize(triples, format=fmt), media, rows=len(triples), truncated=truncated)
    variables = result.variables
    solutions = list(itertools.islice(result, job.max_rows + 1))
    truncated = len(solutions) > job.max_rows
    solutions = solutions[:job.max_rows]
    lines = ["\t".join(str(v) for v in variables)]
    lines += ["\t".join("" if s[v] is None else str(s[v]) for v in variables) for s in solutions]
    again = ox.parse_query_results(("\n".join(lines) + "\n").encode("utf-8"), ox.QueryResultsFormat.TSV)
    fmt = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
           "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[job.fmt]
    return Reply(True, again.serialize(format=fmt), media, rows=len(solutions), truncated=truncated)


class Busy(Exception):
    """Every worker is taken and the wait for one ran out."""


class TimedOut(Exception):
    """The query ran past the time limit; its worker was killed."""


class WorkerPool:
    def __init__(self, store_path: Path, size: int, memory: bool = False) -> None:
        self.store_path = str(store_path)
        self.size = size
        self.memory = memory
        """Each worker also loads the build into memory and answers from there once loaded."""
        self.ctx = mp.get_context("spawn")
        self.free: asyncio.Queue | None = None

    def _start(self):  # noqa: ANN202
        parent, child = self.ctx.Pipe()
        process = self.ctx.Process(target=_serve, args=(child, self.store_path, self.memory), daemon=True)
        process.start()
        child.close()
        return process, parent

    async def start(self) -> None:
        self.free = asyncio.Queue()
        for _ in range(self.size):
            self.free.put_nowait(self._start())

    async def run(self, job: Job, timeout: float, wait: float) -> Reply:
        assert self.free is not None
        try:
            process, conn = await asyncio.wait_for(self.free.get(), timeout=wait)
        except asyncio.TimeoutError:
            raise Busy() from None
        loop = asyncio.get_running_loop()
        try:
            conn.send(job)
            ready = await loop.run_in_executor(None, conn.poll, timeout)
            if not ready:
                process.kill()
                process.join(5)
                conn.close()
                process, conn = self._start()
                raise TimedOut()
            return conn.recv()
        except (EOFError, BrokenPipeError, OSError):
            process.kill()
            process, conn = self._start()
            return Reply(False, b"", "text/plain", error="the query worker stopped; try again")
        finally:
            self.free.put_nowait((process, conn))

    async def stop(self) -> None:
        if self.free is None:
            return
        while not self.free.empty():
            process, conn = self.free.get_nowait()
            conn.close()
            process.kill()
            process.join(5)
