"""`kg serve` as a real server on 127.0.0.1: SPARQLWrapper in every format, and an attack suite."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from kg.errors import QueryError
from kg.server.app import check_binding, negotiate
from tests.browser import console_errors, requested_urls, start_browser
from tests.conftest import ROOT

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
BLOWUP = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(build: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--build", str(build), "--port", str(port),
                             "--timeout", "2", "--max-rows", "500", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if httpx.get(base + "/sparql", timeout=1).status_code < 500:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("kg serve did not start: " + (proc.stderr.read() if proc.stderr else ""))


@pytest.fixture(scope="module")
def server(seed_build: Path):
    proc, base = start_server(seed_build)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def total(base: str) -> int:
    return int(httpx.post(base + "/sparql", data={"query": COUNT}).json()["results"]["bindings"][0]["n"]["value"])


def wrapper(base: str, query: str, fmt) -> object:  # noqa: ANN001
    client = SPARQLWrapper(base + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod("POST")
    return client.query().convert()


DEALS = "SELECT ?seller ?qty WHERE { ?d a akg:Deal ; akg:seller/rdfs:label ?seller ; akg:quantity/schema:value ?qty }"


def test_sparqlwrapper_in_every_select_format(server: str):
    data = wrapper(server, DEALS, JSON)
    assert data["results"]["bindings"][0]["seller"]["value"] == "Boeing"
    xml = wrapper(server, DEALS, XML)
    assert "Boeing" in xml.toxml()
    table = list(csv.DictReader(io.StringIO(wrapper(server, DEALS, CSV).decode())))
    assert table[0] == {"seller": "Boeing", "qty": "103"}
    tsv = wrapper(server, DEALS, TSV).decode()
    assert '"Boeing"' in tsv and "103" in tsv


def test_construct_describe_ask_and_get(server: str):
    turtle = wrapper(server, "CONSTRUCT { ?d akg:seller ?s } WHERE { ?d a akg:Deal ; akg:seller ?s }", TURTLE)
    assert len(Graph().parse(data=turtle, format="turtle")) == 1
    jsonld = httpx.post(server + "/sparql", content="DESCRIBE ent:boeing",
                        headers={"Content-Type": "application/sparql-query", "Accept": "application/ld+json"})
    assert jsonld.status_code == 200 and len(Graph().parse(data=jsonld.text, format="json-ld")) > 3
    ask = httpx.get(server + "/sparql", params={"query": "ASK { ?d a akg:Deal }"})
    assert ask.json()["boolean"] is True
    form = httpx.post(server + "/sparql", data={"query": DEALS}, headers={"Accept": "text/csv"})
    assert form.headers["content-type"].startswith("text/csv") and "Boeing" in form.text


def test_service_description_and_graph_store(server: str):
    sd = httpx.get(server + "/sparql", headers={"Accept": "text/turtle"})
    assert "sd:Service" in sd.text and len(Graph().parse(data=sd.text, format="turtle")) > 3
    default = httpx.get(server + "/store?default", headers={"Accept": "application/n-triples"})
    assert default.status_code == 200 and default.text.count("\n") > 1000
    fact = httpx.post(server + "/sparql", data={"query": "SELECT ?f WHERE { ?f a akg:Fact ; akg:relation akg:Deal }"}) \
        .json()["results"]["bindings"][0]["f"]["value"]
    one = httpx.get(server + "/store", params={"graph": fact})
    assert one.status_code == 200 and "Deal" in one.text and len(Graph().parse(data=one.text, format="turtle")) >= 5
    assert httpx.get(server + "/store", params={"graph": "https://example.org/none"}).status_code == 404


class Listener:
    """A TCP listener on 127.0.0.1 that records any connection (for SERVICE)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"

    def loop(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                pass

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        self.sock.close()


def test_service_never_reaches_out(server: str):
    listener = Listener()
    try:
        for query in (f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }} }} LIMIT 1",
                      f"ASK {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"):
            response = httpx.post(server + "/sparql", data={"query": query})
            assert response.status_code == 403 and "SERVICE is refused" in response.text
        time.sleep(0.5)
        assert listener.connections == 0
    finally:
        listener.close()


@pytest.mark.parametrize("kind, payload, status, message", [
    ("update", "LOAD <file:///etc/passwd>", 403, "read-only"),
    ("query", "LOAD <http://127.0.0.1:9/data.ttl>", 403, "updates are refused"),
    ("query", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", 403, "FROM"),
    ("query", "SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }", 403, "FROM"),
    ("update", "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }", 403, "read-only"),
    ("query", "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }", 403, "updates are refused"),
    ("query", "DELETE WHERE { ?s ?p ?o }", 403, "updates are refused"),
    ("update", "DROP ALL", 403, "read-only"),
    ("query", "DROP ALL", 403, "updates are refused"),
    ("query", "CLEAR DEFAULT", 403, "updates are refused"),
    ("query", "SELECT * WHERE {\n ?s ?p \n}", 400, "syntax error at line"),
    ("query", "SELECT * WHERE { ?s nope:thing ?o }", 400, "refix"),
])
def test_refused_requests_change_nothing(server: str, kind: str, payload: str, status: int, message: str):
    before = total(server)
    response = httpx.post(server + "/sparql", data={kind: payload})
    assert response.status_code == status and message in response.text
    if kind == "update":
        sparql_update = httpx.post(server + "/sparql", content=payload,
                                   headers={"Content-Type": "application/sparql-update"})
        assert sparql_update.status_code == 403
    assert total(server) == before


def test_cartesian_blow_up_times_out_cleanly_and_the_server_keeps_answering(server: str):
    started = time.monotonic()
    response = httpx.post(server + "/sparql", data={"query": BLOWUP}, timeout=30)
    elapsed = time.monotonic() - started
    assert response.status_code == 503 and "limit" in response.text and elapsed < 8
    assert total(server) > 1000


def test_row_cap_is_announced(server: str):
    response = httpx.post(server + "/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 200 and response.headers["KG-Truncated"].startswith("true")
    assert len(response.json()["results"]["bindings"]) == 500


def test_oversized_bad_encoding_and_odd_accept(server: str):
    huge = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (10 * 1024 * 1024)
    assert httpx.post(server + "/sparql", content=huge, headers={"Content-Type": "application/sparql-query"},
                      timeout=30).status_code == 413
    bad = "SELECT * WHERE { ?s ?p \"caf\xe9\" }".encode("latin-1")
    response = httpx.post(server + "/sparql", content=bad, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400 and "UTF-8" in response.text
    assert httpx.post(server + "/sparql", data={"query": DEALS}, headers={"Accept": "image/png"}).status_code == 406
    assert httpx.post(server + "/sparql", data={"query": DEALS}, headers={"Accept": "*/*;q=0, text/csv"}).status_code == 200
    assert httpx.post(server + "/sparql", content=b"x", headers={"Content-Type": "image/png"}).status_code == 415


@pytest.mark.parametrize("graph", ["../../etc/passwd", "file:///etc/passwd", "http://x/../../etc/passwd",
                                   "https://w3id.org/alliance-kg/id/graph/provenance> } <x", ""])
def test_graph_store_path_traversal_and_injection(server: str, graph: str):
    response = httpx.get(server + "/store", params={"graph": graph})
    assert response.status_code in (400, 404)


def test_graph_store_is_read_only(server: str):
    for method in ("PUT", "POST", "DELETE"):
        response = httpx.request(method, server + "/store", params={"graph": "http://x/g"}, content=b"<a:b> <a:c> <a:d> .",
                                 headers={"Content-Type": "application/n-triples"})
        assert response.status_code == 405


def test_too_many_concurrent_queries_get_503(seed_build: Path):
    proc, base = start_server(seed_build, "--workers", "1")
    try:
        results: list[int] = []

        def slow() -> None:
            results.append(httpx.post(base + "/sparql", data={"query": BLOWUP}, timeout=30).status_code)

        threads = [threading.Thread(target=slow) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results.count(503) == 3
        assert total(base) > 1000
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_token_is_required_off_loopback_and_enforced(seed_build: Path):
    with pytest.raises(QueryError, match="without a token"):
        check_binding("0.0.0.0", None)
    check_binding("0.0.0.0", "secret")
    check_binding("127.0.0.1", None)
    proc, base = start_server(seed_build, "--token", "s3cret")
    try:
        assert httpx.post(base + "/sparql", data={"query": COUNT}).status_code == 401
        ok = httpx.post(base + "/sparql", data={"query": COUNT}, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_cors_is_off_by_default(server: str):
    response = httpx.options(server + "/sparql", headers={"Origin": "http://evil.example",
                                                           "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in response.headers


def test_negotiation_rules():
    assert negotiate("", "select") == "json" and negotiate("text/csv", "select") == "csv"
    assert negotiate("text/turtle", "select") is None and negotiate("application/n-triples", "construct") == "ntriples"
    assert negotiate("application/sparql-results+xml;q=0.5, application/sparql-results+json", "ask") == "json"


def test_query_page_runs_an_example_offline_in_chromium(server: str, tmp_path: Path):
    driver = start_browser()
    try:
        driver.get(server + "/")
        options = driver.execute_script("return document.querySelectorAll('#examples option').length")
        assert options >= 10
        driver.execute_script("const s = document.getElementById('examples');"
                              "s.value = [...s.options].find(o => o.textContent === 'Deals').value;"
                              "s.dispatchEvent(new Event('change'));")
        driver.find_element("id", "run").click()
        for _ in range(50):
            if driver.execute_script("return document.querySelectorAll('#table tr').length") > 1:
                break
            time.sleep(0.1)
        assert "Boeing" in driver.find_element("id", "results").text
        driver.save_screenshot(str(tmp_path / "page.png"))
        assert not console_errors(driver)
        port = server.rsplit(":", 1)[1]
        outside = [u for u in requested_urls(driver) if u.startswith(("http:", "https:", "ws:"))
                   and not u.startswith((f"http://127.0.0.1:{port}/",))]
        assert outside == []
    finally:
        driver.quit()


def test_every_answer_says_nosniff(server: str):
    for response in (httpx.post(server + "/sparql", data={"query": COUNT}),
                     httpx.get(server + "/"),
                     httpx.post(server + "/sparql", data={"update": "DROP ALL"})):
        assert response.headers.get("x-content-type-options") == "nosniff", response.status_code


def test_a_foreign_host_header_is_refused_unless_allowed(seed_build: Path, server: str):
    port = server.rsplit(":", 1)[1]
    assert httpx.post(server + "/sparql", data={"query": COUNT}, headers={"Host": "localhost:" + port}).status_code == 200
    rebound = httpx.post(server + "/sparql", data={"query": COUNT}, headers={"Host": "evil.example:" + port})
    assert rebound.status_code == 400 and "results" not in rebound.text  # DNS rebinding reads nothing
    proc, base = start_server(seed_build, "--allowed-host", "kg.example")
    try:
        port = base.rsplit(":", 1)[1]
        assert httpx.post(base + "/sparql", data={"query": COUNT},
                          headers={"Host": "kg.example:" + port}).status_code == 200
        assert httpx.post(base + "/sparql", data={"query": COUNT},
                          headers={"Host": "evil.example:" + port}).status_code == 400
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_worker_answers_from_disk_then_from_its_in_memory_copy_the_same(seed_build: Path):
    """`--memory` (the default for builds up to 2M quads): a worker loads the build into memory in
    the background and answers from there; the answers are those of the on-disk store."""
    import pyoxigraph as ox

    from kg.server.workers import _copy_into_memory

    path = str(seed_build / "store")
    stores = [ox.Store.read_only(path)]
    _copy_into_memory(stores, path)
    disk, memory = stores
    assert len(stores) == 2 and len(memory) == len(disk) > 0
    for query in (COUNT, "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label"):
        text = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + query
        assert [str(r) for r in memory.query(text, use_default_graph_as_union=True)] == \
            [str(r) for r in disk.query(text, use_default_graph_as_union=True)]


def test_serve_no_memory_answers_from_disk(seed_build: Path):
    proc, base = start_server(seed_build, "--no-memory")
    try:
        assert total(base) > 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_an_answer_asked_again_is_sent_from_those_kept_until_another_build_is_published(seed_build: Path,
                                                                                         tmp_path: Path):
    """The build never changes while it is served, so the server keeps what the workers answered
    and sends it again (KG-Answer: kept) for the same query, format and row cap; once another
    build is published, nothing kept from the one before is sent."""
    import shutil

    build = tmp_path / "build"
    shutil.copytree(seed_build, build, symlinks=True)
    proc, base = start_server(build)
    try:
        def ask(accept: str = "application/sparql-results+json") -> httpx.Response:
            return httpx.post(base + "/sparql", data={"query": DEALS}, headers={"Accept": accept})

        first, again, csv_first = ask(), ask(), ask("text/csv")
        assert first.headers["KG-Answer"] == "computed" and again.headers["KG-Answer"] == "kept"
        assert again.content == first.content and again.headers["KG-Rows"] == first.headers["KG-Rows"]
        assert csv_first.headers["KG-Answer"] == "computed" and csv_first.text.startswith("seller,qty")
        # publish a copy of the build as a new generation, as `kg build` swaps `current`
        old = (build / "current").resolve()
        shutil.copytree(old, old.with_name(".gen-republished"), symlinks=True)
        os.symlink(".gen-republished", build / "current.new")
        os.replace(build / "current.new", build / "current")
        after = ask()
        assert after.headers["KG-Answer"] == "computed" and after.json() == first.json()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_answer_cache_is_bounded_and_keeps_only_good_answers():
    from kg.server.answers import AnswerCache
    from kg.server.workers import Reply

    cache = AnswerCache(budget=10)
    key = ("SELECT 1", "select", "json", 5)
    cache.put(key, Reply(False, b"", "text/plain", error="bad", generation="g1"))
    cache.put(("other", "select", "json", 5), Reply(True, b"123456", "x", generation=""))  # no generation known
    assert cache.get("g1", key) is None and len(cache) == 0
    cache.put(key, Reply(True, b"123456", "x", generation="g1"))
    assert cache.get("g1", key).body == b"123456" and cache.get("g2", key) is None and cache.get(None, key) is None
    cache.put(("SELECT 2", "select", "json", 5), Reply(True, b"abcdef", "x", generation="g1"))  # over budget
    assert cache.get("g1", key) is None and cache.used == 6 and len(cache) == 1
