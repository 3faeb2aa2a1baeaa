"""`kg push` to a real Oxigraph server on 127.0.0.1, and to a small recording server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from kg.build import build as build_graph
from kg.errors import QueryError
from kg.remote import push, remote_query, remote_select
from kg.store import open_store
from tests.conftest import ONTOLOGY, ROOT, run_kg

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def oxigraph_server(tmp_path: Path):
    """A real `oxigraph serve` (PyPI package `oxigraph`) on loopback, stopped after the test."""
    binary = shutil.which("oxigraph")
    if binary is None:
        subprocess.run(["python", "-m", "pip", "install", "-q", "oxigraph>=0.5"], check=True)
        binary = shutil.which("oxigraph")
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(tmp_path / "oxdata"), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("oxigraph serve did not start")
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def local_rows(build: Path, query: str) -> list[tuple]:
    return sorted(tuple(v.value if v is not None else "" for v in row) for row in open_store(build).query(query))


def remote_rows(endpoint: str, query: str) -> list[tuple]:
    result = remote_query(endpoint, query)
    return sorted(tuple(v.value if v is not None else "" for v in row) for row in result)


def test_push_is_idempotent_and_answers_like_the_local_store(oxigraph_server: str, seed_build: Path, tmp_path: Path):
    build = tmp_path / "build"
    shutil.copytree(seed_build, build)
    first = push(build, oxigraph_server + "/store")
    assert first.pushed == first.graphs > 50 and first.skipped == 0
    local_count = len(open_store(build))
    assert int(remote_select(oxigraph_server + "/query", COUNT)[0]["n"]) == local_count
    again = push(build, oxigraph_server + "/store")
    assert again.pushed == 0 and again.skipped == first.graphs
    forced = push(build, oxigraph_server + "/store", force=True)
    assert forced.pushed == first.graphs
    assert int(remote_select(oxigraph_server + "/query", COUNT)[0]["n"]) == local_count
    for query in (ROOT / "ontology" / "README.md").read_text(encoding="utf-8").split("```sparql\n")[1:]:
        query = query.split("```")[0]
        assert remote_rows(oxigraph_server + "/query", query) == local_rows(build, query)


def test_large_graphs_travel_in_chunks_and_a_second_push_replaces_them(oxigraph_server: str, seed_build: Path,
                                                                    tmp_path: Path, monkeypatch):
    """With 50 triples a request, the provenance graph needs dozens of requests (PUT, then POSTs);
    pushing again with --force must replace, not append: the counts stay equal."""
    monkeypatch.setattr("kg.remote.CHUNK_TRIPLES", 50)
    build = tmp_path / "build"
    shutil.copytree(seed_build, build)
    push(build, oxigraph_server + "/store")
    local_count = len(open_store(build))
    assert int(remote_select(oxigraph_server + "/query", COUNT)[0]["n"]) == local_count
    push(build, oxigraph_server + "/store", force=True)
    assert int(remote_select(oxigraph_server + "/query", COUNT)[0]["n"]) == local_count
    for query in (ROOT / "ontology" / "README.md").read_text(encoding="utf-8").split("```sparql\n")[1:]:
        query = query.split("```")[0]
        assert remote_rows(oxigraph_server + "/query", query) == local_rows(build, query)


def test_push_replaces_and_prunes_removed_facts(oxigraph_server: str, sources_copy: Path, tmp_path: Path):
    build = tmp_path / "build"
    build_graph(sources_copy, ONTOLOGY, build)
    push(build, oxigraph_server + "/store")
    facts = sources_copy / "facts" / "000_39871138011cc3fb.yaml"
    text = facts.read_text(encoding="utf-8")
    start = text.index("  - relation: Deal\n")
    end = text.index("  - relation:", start + 5)
    facts.write_text(text[:start] + text[end:], encoding="utf-8")
    build_graph(sources_copy, ONTOLOGY, build)
    report = push(build, oxigraph_server + "/store", prune_query_endpoint=oxigraph_server + "/query")
    assert report.deleted >= 1
    assert not remote_select(oxigraph_server + "/query", "PREFIX akg: <https://w3id.org/alliance-kg/ontology#> "
                                                         "SELECT ?d WHERE { ?d a akg:Deal }")
    assert int(remote_select(oxigraph_server + "/query", COUNT)[0]["n"]) == len(open_store(build))


class Recorder(BaseHTTPRequestHandler):
    """A Graph Store stand-in that checks the token and fails on purpose after a number of PUTs."""

    puts: list[str] = []
    fail_after: int | None = None
    busy = 0
    token = "s3cret"

    def do_PUT(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Authorization") != f"Bearer {self.token}":
            self.send_response(401)
        elif Recorder.busy > 0:
            Recorder.busy -= 1
            self.send_response(503)
        elif Recorder.fail_after is not None and len(Recorder.puts) >= Recorder.fail_after:
            self.send_response(500)
        else:
            Recorder.puts.append(self.path)
            self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder():
    Recorder.puts, Recorder.fail_after, Recorder.busy = [], None, 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/store"
    server.shutdown()


def test_credentials_come_from_the_environment(recorder: str, seed_build: Path, tmp_path: Path, monkeypatch):
    build = tmp_path / "build"
    shutil.copytree(seed_build, build)
    monkeypatch.delenv("KG_ENDPOINT_TOKEN", raising=False)
    with pytest.raises(QueryError, match="refused the credentials"):
        push(build, recorder)
    monkeypatch.setenv("KG_ENDPOINT_TOKEN", Recorder.token)
    assert push(build, recorder).pushed > 0


def test_an_interrupted_push_resumes_where_it_stopped(recorder: str, seed_build: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("KG_ENDPOINT_TOKEN", Recorder.token)
    build = tmp_path / "build"
    shutil.copytree(seed_build, build)
    Recorder.fail_after = 7
    with pytest.raises(QueryError, match="run the same `kg push` again to resume|answered HTTP 500"):
        push(build, recorder)
    assert len(Recorder.puts) == 7
    Recorder.fail_after = None
    report = push(build, recorder)
    assert report.skipped == 7 and report.pushed == report.graphs - 7
    assert len(set(Recorder.puts)) == report.graphs


def test_a_busy_server_is_asked_again(recorder: str, seed_build: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("KG_ENDPOINT_TOKEN", Recorder.token)
    build = tmp_path / "build"
    shutil.copytree(seed_build, build)
    Recorder.busy = 2
    report = push(build, recorder)
    assert report.retries == 2 and report.pushed == report.graphs == len(set(Recorder.puts))


def test_push_cli_without_build_or_with_a_bad_url(tmp_path: Path):
    proc = run_kg("push", "--endpoint", "http://127.0.0.1:9/store", "--build", str(tmp_path / "none"), check=False)
    assert proc.returncode != 0 and "no build to push" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_kg("push", "--endpoint", "ftp://example/store", check=False)
    assert proc.returncode != 0 and "http(s) URL" in proc.stderr


def test_saved_queries_give_the_same_rows_remotely(oxigraph_server: str, seed_build: Path, tmp_path: Path):
    from kg.saved import fill, saved_queries

    build = tmp_path / "build"
    shutil.copytree(seed_build, build)
    push(build, oxigraph_server + "/store")
    from kg.sparql_safety import inspect_query

    for name, saved in saved_queries().items():
        values = {p: "2022-11-04" if p in saved.dates else "https://w3id.org/alliance-kg/id/entity/boeing"
                  for p in saved.params}
        text = inspect_query(fill(saved, values)).text
        local = local_rows(build, text)
        remote = remote_rows(oxigraph_server + "/query", text)
        assert local == remote, name


def test_kg_query_endpoint_cli(oxigraph_server: str, seed_build: Path, tmp_path: Path):
    build = tmp_path / "build"
    shutil.copytree(seed_build, build)
    push(build, oxigraph_server + "/store")
    proc = run_kg("query", "deals", "--format", "csv", "--endpoint", oxigraph_server + "/query")
    assert "Boeing,Korean Air" in proc.stdout
    proc = run_kg("query", "entity", "--param", "entity=korean-air", "--endpoint", oxigraph_server + "/query")
    assert "Deal" in proc.stdout
    refused = run_kg("query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
                     "--endpoint", oxigraph_server + "/query", check=False)
    assert refused.returncode != 0 and "SERVICE is refused" in refused.stderr


def test_push_after_an_incremental_build_sends_only_changed_graphs(oxigraph_server: str, tmp_path: Path):
    """The daily loop end to end: streamed build, push, one more article, incremental build,
    push again: only changed graphs travel and the saved queries answer as locally."""
    from kg.saved import fill, saved_queries
    from kg.sparql_safety import inspect_query
    from tests.benchmarks.synthetic_articles import generate
    from tests.conftest import SOURCES

    sources, build = tmp_path / "sources", tmp_path / "build"
    shutil.copytree(SOURCES, sources)
    generate(16, sources)
    run_kg("build", "--sources", str(sources), "--out", str(build), "--no-validate")
    first = push(build, oxigraph_server + "/store")
    generate(17, tmp_path / "more", seed=3)
    (sources / "articles" / "late_001.txt").write_text(
        (tmp_path / "more" / "articles" / "syn_000016.txt").read_text(encoding="utf-8").replace("syn_000016", "late_001"),
        encoding="utf-8")
    assert "store patched" in run_kg("build", "--sources", str(sources), "--out", str(build),
                                     "--no-validate").stdout
    second = push(build, oxigraph_server + "/store", prune_query_endpoint=oxigraph_server + "/query")
    assert 0 < second.pushed < first.graphs / 2 and second.skipped > 0
    assert int(remote_select(oxigraph_server + "/query", COUNT)[0]["n"]) == len(open_store(build))
    for name, saved in saved_queries().items():
        values = {p: "2022-11-04" if p in saved.dates else "https://w3id.org/alliance-kg/id/entity/boeing"
                  for p in saved.params}
        text = inspect_query(fill(saved, values)).text
        assert local_rows(build, text) == remote_rows(oxigraph_server + "/query", text), name


ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def test_after_the_first_push_only_the_change_travels_as_sparql_update(oxigraph_server: str, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch):
    """Add an article, then remove one: each push is a delta of SPARQL Update requests, the server
    ends up holding exactly the build (every quad, no empty graph left behind), and a delta
    interrupted half-way is simply sent again."""
    import kg.remote
    from tests.benchmarks.synthetic_articles import generate
    from tests.conftest import SOURCES

    sources, build = tmp_path / "sources", tmp_path / "build"
    shutil.copytree(SOURCES, sources)
    generate(12, sources)
    store, update, query = oxigraph_server + "/store", oxigraph_server + "/update", oxigraph_server + "/query"
    run_kg("build", "--sources", str(sources), "--out", str(build), "--no-validate")
    first = push(build, store, update_endpoint=update)
    assert first.delta is None and first.pushed == first.graphs  # the first push goes graph by graph

    generate(13, tmp_path / "more", seed=5)
    (sources / "articles" / "late_001.txt").write_text(
        (tmp_path / "more" / "articles" / "syn_000012.txt").read_text(encoding="utf-8").replace("syn_000012", "late_001"),
        encoding="utf-8")
    run_kg("build", "--sources", str(sources), "--out", str(build), "--no-validate")
    added = push(build, store, update_endpoint=update)
    assert added.delta is not None and added.delta.added_blocks > 0
    assert added.delta.bytes_sent < (build / "dataset.nq").stat().st_size / 5, added.delta  # the change, not the graphs
    assert remote_rows(query, ALL_QUADS) == local_rows(build, ALL_QUADS)

    (sources / "articles" / "syn_000003.txt").unlink()
    run_kg("build", "--sources", str(sources), "--out", str(build), "--no-validate")
    calls = []
    real = kg.remote._send_update

    def fail_second(client, endpoint, body):  # noqa: ANN001, ANN202
        calls.append(len(body))
        if len(calls) == 2:
            raise httpx.ConnectError("the line dropped")
        return real(client, endpoint, body)

    monkeypatch.setattr(kg.remote, "_send_update", fail_second)
    monkeypatch.setattr("kg.delta.BATCH_BYTES", 2_000)  # several requests, so one can fail in between
    with pytest.raises(QueryError, match="run the same `kg push` again"):
        push(build, store, update_endpoint=update)
    monkeypatch.setattr(kg.remote, "_send_update", real)
    removed = push(build, store, update_endpoint=update)
    assert removed.delta is not None and removed.delta.removed_blocks > 0 and removed.delta.dropped_graphs > 0
    assert remote_rows(query, ALL_QUADS) == local_rows(build, ALL_QUADS)
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
    assert remote_rows(query, graphs) == local_rows(build, graphs)  # no emptied graph left behind
    again = push(build, store, update_endpoint=update)
    assert again.delta is not None and again.delta.requests == 0  # nothing changed, nothing sent
