"""Talk to an external SPARQL server: push the dataset graph by graph, and query it.

`push` uses the SPARQL 1.1 Graph Store HTTP Protocol: one PUT per named graph, which replaces
that graph, so pushing twice leaves the same data (idempotent); graphs past `CHUNK_TRIPLES`
follow their PUT with POSTs of the rest, so no request and no buffer holds a whole large graph. What was pushed is recorded per
endpoint in `build/push-state.json` (graph IRI -> content hash); an interrupted push resumes
where it stopped, and unchanged graphs are skipped on the next push. Credentials come from the
environment only: KG_ENDPOINT_TOKEN (bearer), or KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import BuildError, QueryError

STATE_FILE = "push-state.json"
TIMEOUT_SECONDS = 60.0
CHUNK_TRIPLES = 100_000
"""Triples per request when pushing: a graph of millions goes as one PUT and then POSTs."""


@dataclass(frozen=True)
class PushReport:
    graphs: int
    pushed: int
    skipped: int
    deleted: int
    quads: int
    retries: int = 0
    delta: object | None = None
    """A `delta.DeltaReport` when the push went as SPARQL Update, else None."""


def check_url(url: str, what: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise QueryError(f"{what} must be an http(s) URL, not {url!r}",
                         hint="e.g. http://127.0.0.1:7878/store for Oxigraph, "
                              "http://localhost:3030/ds/data for Fuseki")
    return url


def auth_headers() -> dict[str, str]:
    """Authorization from the environment; never from the command line, where it would leak."""
    token = os.environ.get("KG_ENDPOINT_TOKEN")
    if token:
        return {"Authorization": f"Bearer {token}"}
    return {}


RETRIES = 4
"""How often one request is tried again after a timeout, a dropped connection or a 503."""


def _send(client, method: str, endpoint: str, graph: str, data: bytes):  # noqa: ANN001, ANN202
    """One Graph Store write, tried again with growing pauses when the server is busy or slow.

    Both writes are safe to repeat: PUT replaces the graph, and POSTing the same triples again
    adds nothing to an RDF graph. Returns the response and how many retries it took.
    """
    return _retried(lambda: client.request(method, endpoint, params={"graph": graph}, content=data,
                                           timeout=_write_timeout(),
                                           headers={"Content-Type": "application/n-triples"}))


def _retried(request: Callable[[], object]):  # noqa: ANN202 - (httpx.Response, retries)
    """Send a request that is safe to repeat, again with growing pauses after a timeout, a
    dropped connection or a 503; the response and how many retries it took."""
    import time

    import httpx

    for attempt in range(RETRIES + 1):
        try:
            response = request()
        except (httpx.TimeoutException, httpx.NetworkError):
            if attempt == RETRIES:
                raise
        else:
            if response.status_code != 503 or attempt == RETRIES:  # type: ignore[attr-defined]
                return response, attempt
        time.sleep(min(30.0, 2.0 ** attempt))
    raise AssertionError("unreachable")  # pragma: no cover


def _write_timeout():  # noqa: ANN202 - an httpx.Timeout
    """Writes of a chunk into a large graph can take a server minutes; connecting may not."""
    import httpx

    return httpx.Timeout(TIMEOUT_SECONDS, read=600.0)


def _client():  # noqa: ANN202 - httpx is imported lazily
    import httpx

    user, password = os.environ.get("KG_ENDPOINT_USER"), os.environ.get("KG_ENDPOINT_PASSWORD")
    auth = httpx.BasicAuth(user, password) if user and password is not None else None
    return httpx.Client(timeout=TIMEOUT_SECONDS, headers=auth_headers(), auth=auth, follow_redirects=False)


def _chunks(store: object, graph: object) -> Iterator[bytes]:
    """A named graph's triples as N-Triples, `CHUNK_TRIPLES` at a time, in the store's order
    (an order fixed by the content alone, so equal graphs give equal bytes)."""
    import pyoxigraph as ox

    batch: list = []
    sent = False
    for quad in store.quads_for_pattern(None, None, None, graph):  # type: ignore[attr-defined]
        batch.append(ox.Triple(quad.subject, quad.predicate, quad.object))
        if len(batch) >= CHUNK_TRIPLES:
            yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES)
            batch, sent = [], True
    if batch or not sent:
        yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) if batch else b""


def _graphs(build_dir: Path) -> Iterator[tuple[str, str, int, Callable[[], Iterator[bytes]]]]:
    """(graph IRI, content hash, triple count, its N-Triples chunks), graph by graph, in IRI order.

    Memory holds one chunk: the hash is computed in a first pass, and the chunks are read again
    from the store only for the graphs that are sent.
    """
    from .store import open_store

    store = open_store(build_dir).store
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):  # type: ignore[attr-defined]
        digest, count = hashlib.sha256(), 0
        for data in _chunks(store, graph):
            digest.update(data)
            count += data.count(b"\n")
        yield graph.value, digest.hexdigest(), count, (lambda graph=graph: _chunks(store, graph))


def _load_state(path: Path, endpoint: str) -> dict[str, str]:
    if not path.is_file():
        return {}
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")).get(endpoint, {}))
    except (ValueError, AttributeError):
        return {}


def _save_state(path: Path, endpoint: str, pushed: dict[str, str]) -> None:
    state = {}
    if path.is_file():
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            state = {}
    state[endpoint] = dict(sorted(pushed.items()))
    fd, tmp = tempfile.mkstemp(prefix=".push-state.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(state, handle, indent=1, sort_keys=True)
    os.replace(tmp, path)


def _raise_for(response, what: str, endpoint: str) -> None:  # noqa: ANN001
    if response.status_code in (401, 403):
        raise QueryError(f"{what}: the endpoint refused the credentials (HTTP {response.status_code})",
                         hint="set KG_ENDPOINT_TOKEN, or KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD")
    if response.status_code >= 400:
        raise QueryError(f"{what}: {endpoint} answered HTTP {response.status_code}: {response.text[:300]}",
                         hint="check the URL is the server's Graph Store endpoint and that it accepts writes")


def push(build_dir: Path, endpoint: str, *, force: bool = False, prune_query_endpoint: str | None = None,
         progress: Callable[[int], None] | None = None, update_endpoint: str | None = None) -> PushReport:
    """Upload every named graph of the build to `endpoint`, replacing what is there.

    With `update_endpoint` (the server's SPARQL 1.1 Update URL), a server that was pushed to
    before gets only the blocks that changed since (see `delta.py`); the first push, `force`,
    and a change too large for a delta go graph by graph, and record what the server holds.
    """
    import httpx

    check_url(endpoint, "the Graph Store endpoint")
    if update_endpoint is not None:
        check_url(update_endpoint, "the SPARQL Update endpoint")
        if not force:
            report = _push_delta(build_dir, endpoint, update_endpoint)
            if report is not None:
                return report
    state_path = build_dir / STATE_FILE
    done = {} if force else _load_state(state_path, endpoint)
    pushed_now: dict[str, str] = dict(done)
    count = pushed = skipped = quads = retries = 0
    seen: set[str] = set()
    try:
        with _client() as client:
            for iri, digest, size, chunks in _graphs(build_dir):
                count += 1
                quads += size
                seen.add(iri)
                if done.get(iri) == digest:
                    skipped += 1
                else:
                    # PUT replaces the graph with its first chunk; POSTs add the rest (a large
                    # graph never travels in one request). Until the last chunk is in, the graph
                    # is not recorded as pushed, so an interrupted push sends it whole again.
                    pushed_now.pop(iri, None)
                    for index, data in enumerate(chunks()):
                        response, tries = _send(client, "PUT" if index == 0 else "POST", endpoint, iri, data)
                        retries += tries
                        _raise_for(response, f"pushing graph {iri}", endpoint)
                    pushed_now[iri] = digest
                    pushed += 1
                    if pushed % 200 == 0:
                        _save_state(state_path, endpoint, pushed_now)
                if progress:
                    progress(1)
            deleted = 0
            stale = sorted(set(pushed_now) - seen)
            if prune_query_endpoint is not None:
                stale = sorted(set(stale) | set(remote_graphs(client, prune_query_endpoint)) - seen)
            for iri in stale:
                response = client.delete(endpoint, params={"graph": iri})
                if response.status_code != 404:
                    _raise_for(response, f"deleting graph {iri}", endpoint)
                pushed_now.pop(iri, None)
                deleted += 1
    except httpx.HTTPError as exc:
        _save_state(state_path, endpoint, pushed_now)
        raise QueryError(f"the push to {endpoint} failed: {exc}",
                         hint=f"{len(pushed_now)} graphs are recorded as pushed; run the same `kg push` "
                              "again to resume") from None
    except QueryError:
        _save_state(state_path, endpoint, pushed_now)
        raise
    _save_state(state_path, endpoint, pushed_now)
    if update_endpoint is not None:  # the server now holds exactly this build: deltas start from here
        from .delta import PushedIndex
        from .store import previous_index

        with PushedIndex(build_dir) as recorded:
            recorded.save(endpoint, previous_index(build_dir) or [])
    return PushReport(count, pushed, skipped, deleted, quads, retries)


def _push_delta(build_dir: Path, endpoint: str, update_endpoint: str) -> PushReport | None:
    """Send the server what changed since its last push, as SPARQL Update; None when it must
    be pushed in full (never pushed, no block index, or a change past a quarter of the build)."""
    import httpx

    from .building import FRAGMENT_CACHE
    from .delta import PushedIndex, plan, send_delta
    from .fragments import FragmentCache
    from .store import open_store, previous_index

    current = previous_index(build_dir)
    with PushedIndex(build_dir) as recorded:
        old = recorded.load(endpoint)
        if old is None or current is None:
            return None
        gone, came = plan(old, current)
        if len(gone) + len(came) > max(1000, len(current) // 4):
            return None
        store = open_store(build_dir).store
        present = {g.value for g in store.named_graphs()}  # type: ignore[attr-defined]
        retries = 0

        def post(body: bytes) -> None:
            nonlocal retries
            response, tries = _send_update(client, update_endpoint, body)
            retries += tries
            _raise_for(response, "updating the server", update_endpoint)

        try:
            with FragmentCache(build_dir / FRAGMENT_CACHE) as fragments, _client() as client:
                report = send_delta(old, current, fragments.nquads, present, post)
        except LookupError:
            return None  # the cache lost a fragment: push graph by graph (what was sent is harmless)
        except httpx.HTTPError as exc:
            raise QueryError(f"the update of {update_endpoint} failed: {exc}",
                             hint="run the same `kg push` again: an update sent twice changes nothing") from None
        if report is None:
            return None
        recorded.save(endpoint, current)
    # The per-graph hashes are stale now: a later graph-by-graph push re-sends every graph (and
    # still knows which graphs the server holds, to delete those that went away).
    _save_state(build_dir / STATE_FILE, endpoint, dict.fromkeys(present, ""))
    return PushReport(len(present), report.added_blocks, len(current) - report.added_blocks, report.dropped_graphs,
                      len(store), retries, delta=report)


def _send_update(client, endpoint: str, body: bytes):  # noqa: ANN001, ANN202
    """One SPARQL Update request, tried again like `_send` (an update is idempotent)."""
    return _retried(lambda: client.post(endpoint, content=body, timeout=_write_timeout(),
                                        headers={"Content-Type": "application/sparql-update"}))


def remote_graphs(client, query_endpoint: str) -> list[str]:  # noqa: ANN001
    """Named graphs of this project's IRI space on the remote server."""
    from .vocab import ID

    rows = remote_select(query_endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", client=client)
    return [r["g"] for r in rows if r.get("g", "").startswith(str(ID))]


def remote_query(endpoint: str, sparql: str, *, client=None, timeout: float = TIMEOUT_SECONDS):  # noqa: ANN001, ANN201
    """Run a query on a SPARQL 1.1 Protocol endpoint; results as pyoxigraph objects.

    SELECT/ASK come back as `QuerySolutions`/`QueryBoolean`, CONSTRUCT/DESCRIBE as a list of
    triples, so local and remote results print through the same code.
    """
    import httpx
    import pyoxigraph as ox

    check_url(endpoint, "the SPARQL endpoint")
    own = client is None
    client = client or _client()
    try:
        response = client.post(endpoint, content=sparql.encode("utf-8"), timeout=timeout, headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
    except httpx.HTTPError as exc:
        raise QueryError(f"cannot reach {endpoint}: {exc}", hint="check the URL and that the server runs") from None
    finally:
        if own:
            client.close()
    _raise_for(response, "the query", endpoint)
    kind = response.headers.get("content-type", "").split(";")[0].strip()
    try:
        if kind in ("application/sparql-results+json", "application/json"):
            return ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
        if kind == "application/sparql-results+xml":
            return ox.parse_query_results(response.content, ox.QueryResultsFormat.XML)
        if kind in ("application/n-triples", "text/plain"):
            return list(ox.parse(response.content, ox.RdfFormat.N_TRIPLES))
        if kind == "text/turtle":
            return list(ox.parse(response.content, ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise QueryError(f"{endpoint} answered results that cannot be parsed: {exc}") from None
    raise QueryError(f"{endpoint} answered an unexpected content type {kind!r}",
                     hint="is this the server's SPARQL query endpoint (e.g. .../query or .../sparql)?")


def remote_select(endpoint: str, sparql: str, *, client=None) -> list[dict[str, str]]:  # noqa: ANN001
    """SELECT rows as dicts of plain strings (variables that are unbound are left out)."""
    result = remote_query(endpoint, sparql, client=client)
    rows = []
    for solution in result:  # type: ignore[union-attr]
        row = {}
        for var in result.variables:  # type: ignore[union-attr]
            value = solution[var]
            if value is not None:
                row[var.value] = value.value
        rows.append(row)
    return rows


def ensure_build(build_dir: Path) -> None:
    if not (build_dir / "store").is_dir():
        raise BuildError("no build to push", path=build_dir, hint="run `kg build` first")
