"""The HTTP side of `kg serve`: SPARQL 1.1 Protocol, Graph Store reads, a query page.

Safe by default: bound to 127.0.0.1; a token is required on any other address; updates answer
403; SERVICE, LOAD, FROM and FROM NAMED are refused before any engine sees the query; every
query runs in a killable worker under a time limit (a timeout answers 503, never a truncated
200); result rows, request size and concurrent queries are capped.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from ..answers import generation_of
from ..errors import QueryError
from ..generations import CURRENT
from ..sparql_safety import UnsafeQuery, inspect_query
from ..vocab import PREFIXES
from .answers import AnswerCache
from .workers import GRAPH_TYPES, MEDIA, SELECT_TYPES, Busy, Job, Reply, TimedOut, WorkerPool

log = logging.getLogger("kg.serve")
SD = "http://www.w3.org/ns/sparql-service-description#"


@dataclass
class Settings:
    build_dir: Path
    timeout: float = 10.0
    max_rows: int = 10_000
    max_body: int = 1_000_000
    workers: int = 2
    memory: bool = False
    """Workers answer from an in-memory copy of the build once loaded (the disk store until then)."""
    queue_wait: float | None = None
    """How long a request waits for a free worker before 503 (default: the query timeout)."""
    token: str | None = None
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    allowed_hosts: tuple[str, ...] = field(default_factory=tuple)
    """Host header names answered besides the loopback names (DNS rebinding: a page elsewhere
    that points its own name at 127.0.0.1 gets 400, not the graph)."""
    answer_bytes: int = 64 * 1024 * 1024
    """Bytes of answers kept to send again without a worker (`server.answers`; 0 keeps none)."""


def negotiate(accept: str, kind: str) -> str | None:
    """The answer format for an Accept header, or None when nothing acceptable can be given."""
    table = GRAPH_TYPES if kind in ("construct", "describe") else SELECT_TYPES
    default = "turtle" if kind in ("construct", "describe") else "json"
    if not accept.strip():
        return default
    ranked = []
    for index, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, index, media.lower()))
    for negative_q, _, media in sorted(ranked):
        if negative_q == 0:
            continue
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


def error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status)


class Endpoint:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pool = WorkerPool(settings.build_dir / "store", settings.workers, settings.memory)
        self.answers = AnswerCache(settings.answer_bytes)
        self._link: list | None = None
        self._running: dict[tuple, object] = {}  # queries a worker is answering now, by (generation, key)
        self._generation: str | None = None
        self.wait = settings.queue_wait if settings.queue_wait is not None else settings.timeout

    async def computed(self, generation: str | None, key: tuple) -> Reply:
        """A worker's answer to `key`, kept for the next ask. Requests for a query already running
        wait for that run instead of starting their own: fifty clients opening the same dashboard
        would otherwise queue fifty runs of each query behind the workers."""
        import asyncio

        running = self._running.get((generation, key))
        if running is not None:
            return await asyncio.shield(running)
        task = asyncio.ensure_future(self.pool.run(Job(*key), self.settings.timeout, self.wait))
        self._running[(generation, key)] = task
        try:
            reply = await asyncio.shield(task)
        finally:
            self._running.pop((generation, key), None)
        self.answers.put(key, reply)
        return reply

    def published(self) -> str | None:
        """The generation `build/store` leads to (through `build/current`, which a publish replaces),
        worked out again only when either link was replaced: two lstat calls a request, where
        resolving the links each time cost a sixth of the server's time under load."""
        stamp = []
        for name in ("store", CURRENT):
            try:
                link = os.lstat(self.settings.build_dir / name)
            except OSError:
                stamp.append(None)
                continue
            stamp.append((link.st_ino, link.st_mtime_ns, link.st_ctime_ns))
        if stamp != self._link:
            self._link, self._generation = stamp, generation_of(self.settings.build_dir)
        return self._generation

    def authorised(self, request: Request) -> bool:
        if not self.settings.token:
            return True
        return request.headers.get("authorization", "") == f"Bearer {self.settings.token}"

    async def read_query(self, request: Request) -> tuple[str | None, str | None, Response | None]:
        """(query, update) from GET ?query=, POST form or POST application/sparql-query."""
        if request.method == "GET":
            raw = request.url.query
            if len(raw) > self.settings.max_body:
                return None, None, error(414, "the query string is too long")
            params = parse_qs(raw, keep_blank_values=True)
            return (params.get("query", [None])[0], params.get("update", [None])[0], None)
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > self.settings.max_body:
            return None, None, error(413, f"the request is larger than {self.settings.max_body} bytes")
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > self.settings.max_body:
                return None, None, error(413, f"the request is larger than {self.settings.max_body} bytes")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return None, None, error(400, "the request body is not UTF-8")
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/sparql-query":
            return text, None, None
        if kind == "application/sparql-update":
            return None, text, None
        if kind == "application/x-www-form-urlencoded":
            params = parse_qs(text, keep_blank_values=True)
            return params.get("query", [None])[0], params.get("update", [None])[0], None
        return None, None, error(415, "send the query as application/sparql-query or a form field 'query'")

    async def sparql(self, request: Request) -> Response:
        if not self.authorised(request):
            return error(401, "a bearer token is required")
        query, update, problem = await self.read_query(request)
        if problem is not None:
            return problem
        if update is not None:
            return error(403, "updates are refused: this endpoint is read-only")
        if query is None:
            if request.method == "GET":
                return self.service_description(request) if "text/html" not in request.headers.get("accept", "") \
                    else await self.page(request)
            return error(400, "no query: pass it as ?query=, a form field 'query', or an application/sparql-query body")
        try:
            info = inspect_query(query)
        except UnsafeQuery as exc:
            return error(403, exc.message)
        except QueryError as exc:
            return error(400, exc.message)
        fmt = negotiate(request.headers.get("accept", ""), info.kind)
        if fmt is None:
            return error(406, "none of the accepted media types can carry this answer; try "
                              + ", ".join(sorted(GRAPH_TYPES if info.kind in ("construct", "describe") else SELECT_TYPES)))
        key = (info.text, info.kind, fmt, self.settings.max_rows)
        generation = self.published()
        reply = self.answers.get(generation, key)
        kept = reply is not None
        if reply is None:
            try:
                reply = await self.computed(generation, key)
            except Busy:
                return error(503, "too many queries at once; try again shortly")
            except TimedOut:
                return error(503, f"the query ran past the {self.settings.timeout:g} s limit and was stopped")
            if not reply.ok:
                return error(400, reply.error)
        headers = {"KG-Rows": str(reply.rows), "KG-Answer": "kept" if kept else "computed"}
        if reply.truncated:
            headers["KG-Truncated"] = f"true; only the first {self.settings.max_rows} rows"
        return Response(reply.body, media_type=reply.media, headers=headers)

    def service_description(self, request: Request) -> Response:
        base = str(request.url).split("?")[0]
        turtle = f"""@prefix sd: <{SD}> .
<{base}> a sd:Service ;
    sd:endpoint <{base}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>, <http://www.w3.org/ns/formats/SPARQL_Results_XML>,
        <http://www.w3.org/ns/formats/SPARQL_Results_CSV>, <http://www.w3.org/ns/formats/SPARQL_Results_TSV>,
        <http://www.w3.org/ns/formats/Turtle>, <http://www.w3.org/ns/formats/N-Triples>, <http://www.w3.org/ns/formats/JSON-LD> ;
    sd:feature sd:UnionDefaultGraph ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""
        return Response(turtle, media_type="text/turtle")

    async def store(self, request: Request) -> Response:
        """Graph Store Protocol reads: ?default (the union) or ?graph=IRI of one named graph."""
        if not self.authorised(request):
            return error(401, "a bearer token is required")
        if request.method != "GET":
            return error(405, "the graph store is read-only here")
        params = parse_qs(request.url.query, keep_blank_values=True)
        if "default" in params:
            query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        elif "graph" in params:
            iri = params["graph"][0]
            if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", iri) or ".." in iri.split("?")[0]:
                return error(400, "graph= must be an absolute http(s) IRI of a named graph in this store")
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
            exists = await self.pool.run(Job(f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}", "ask", "json", 1),
                                         self.settings.timeout, self.wait)
            if not json.loads(exists.body or b"{}").get("boolean"):
                return error(404, f"no graph <{iri}> in this store")
        else:
            return error(400, "pass ?default or ?graph=IRI")
        fmt = negotiate(request.headers.get("accept", ""), "construct")
        if fmt is None:
            return error(406, "try text/turtle, application/n-triples or application/ld+json")
        try:
            reply = await self.pool.run(Job(query, "construct", fmt, self.settings.max_rows * 10),
                                        self.settings.timeout, self.wait)
        except (Busy, TimedOut):
            return error(503, "the graph could not be read in time; try again")
        return Response(reply.body, media_type=reply.media, headers={"KG-Rows": str(reply.rows)})

    async def page(self, request: Request) -> Response:
        from ..saved import saved_queries

        examples = [{"name": q.name, "title": q.title,
                     "text": re.sub(r"(?m)^#.*\n", "", q.text).replace("{{speaker}}", "").strip()}
                    for q in saved_queries().values() if not any(q.required)]
        prologue = "".join(f"PREFIX {p}: <{i}>\n" for p, i in PREFIXES.items() if p in ("akg", "schema", "rdfs", "ent"))
        body = PAGE.replace("__EXAMPLES__", json.dumps(examples).replace("</", "<\\/")) \
            .replace("__DEFAULT__", html.escape(examples[0]["text"] if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10")) \
            .replace("__PROLOGUE__", html.escape(prologue))
        return HTMLResponse(body)


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>alliance-kg SPARQL</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<link rel="icon" href="data:,">
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 18px; }
textarea { width: 100%; height: 220px; font: 13px monospace; }
table { border-collapse: collapse; margin-top: 12px; font-size: 13px; }
td, th { border: 1px solid #ddd; padding: 3px 6px; vertical-align: top; text-align: left; }
th { background: #f4f4f4; } .note { color: #666; }
</style></head><body>
<h1>alliance-kg SPARQL endpoint</h1>
<p class="note">Read-only. The project prefixes (akg:, schema:, prov:, oa:, dcterms:, ent:, …) are predeclared;
the default graph is the union of all graphs.</p>
<p><label>Example: <select id="examples"></select></label></p>
<textarea id="query">__DEFAULT__</textarea>
<p><button id="run">Run query</button> <span id="status" class="note"></span></p>
<div id="results"></div>
<script>
const EXAMPLES = __EXAMPLES__;
const select = document.getElementById("examples");
EXAMPLES.forEach((q, i) => { const o = document.createElement("option"); o.value = i; o.textContent = q.title; select.appendChild(o); });
select.addEventListener("change", () => { document.getElementById("query").value = EXAMPLES[select.value].text; });
const esc = s => String(s).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));
document.getElementById("run").addEventListener("click", async () => {
  const status = document.getElementById("status"), out = document.getElementById("results");
  status.textContent = "running…"; out.innerHTML = "";
  const started = performance.now();
  const response = await fetch("sparql", { method: "POST", headers: { "Content-Type": "application/sparql-query",
    "Accept": "application/sparql-results+json, text/turtle;q=0.5" }, body: document.getElementById("query").value });
  const text = await response.text();
  if (!response.ok) { status.textContent = "error " + response.status; out.innerHTML = "<pre>" + esc(text) + "</pre>"; return; }
  if ((response.headers.get("content-type") || "").includes("json")) {
    const data = JSON.parse(text);
    if ("boolean" in data) { out.textContent = data.boolean ? "yes" : "no"; }
    else {
      const vars = data.head.vars;
      out.innerHTML = "<table id='table'><tr>" + vars.map(v => "<th>" + esc(v) + "</th>").join("") + "</tr>" +
        data.results.bindings.map(b => "<tr>" + vars.map(v => "<td>" + esc(b[v] ? b[v].value : "") + "</td>").join("") + "</tr>").join("") + "</table>";
    }
    status.textContent = (data.results ? data.results.bindings.length : 1) + " row(s) in " + Math.round(performance.now() - started) + " ms" +
      (response.headers.get("KG-Truncated") ? " (truncated)" : "");
  } else { out.innerHTML = "<pre>" + esc(text) + "</pre>"; status.textContent = "done"; }
});
</script></body></html>
"""


class RequestLog:
    """One log line per request: method, path, status, milliseconds, rows (pure ASGI middleware)."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 0, "rows": "-"}

        async def capture(message) -> None:  # noqa: ANN001
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                for key, value in message.get("headers", []):
                    if key.lower() == b"kg-rows":
                        status["rows"] = value.decode()
            await send(message)

        await self.app(scope, receive, capture)
        log.info("%s %s %s %.1fms rows=%s", scope["method"], scope["path"], status["code"],
                 (time.perf_counter() - started) * 1000, status["rows"])


def create_app(settings: Settings) -> Starlette:
    from contextlib import asynccontextmanager

    from starlette.middleware import Middleware

    endpoint = Endpoint(settings)

    @asynccontextmanager
    async def lifespan(app):  # noqa: ANN001, ANN202
        await endpoint.pool.start()
        try:
            yield
        finally:
            await endpoint.pool.stop()

    async def index(request: Request) -> Response:
        if request.url.query:
            return await endpoint.sparql(request)
        return await endpoint.page(request)

    from starlette.middleware.trustedhost import TrustedHostMiddleware

    hosts = sorted({*LOOPBACK_NAMES, *settings.allowed_hosts})
    middleware = [Middleware(RequestLog), Middleware(TrustedHostMiddleware, allowed_hosts=hosts)]
    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        middleware.append(Middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                                     allow_methods=["GET", "POST"], allow_headers=["Content-Type", "Authorization"]))
    return Starlette(routes=[
        Route("/", index, methods=["GET"]),
        Route("/sparql", endpoint.sparql, methods=["GET", "POST"]),
        Route("/store", endpoint.store, methods=["GET", "PUT", "POST", "DELETE"]),
    ], middleware=middleware, lifespan=lifespan)


SECURITY_HEADERS = [("X-Content-Type-Options", "nosniff")]
"""Sent on every answer by the HTTP server (uvicorn's default headers): a browser never reads a
SPARQL result or an error text as HTML or script."""

LOOPBACK = ("127.0.0.1", "localhost", "::1")
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
"""Host header names always answered (Starlette's TrustedHostMiddleware compares without the port)."""


def check_binding(host: str, token: str | None) -> None:
    """Anything but loopback needs a token: an open endpoint on a network is an invitation."""
    if host not in LOOPBACK and not host.startswith("127.") and not token:
        raise QueryError(f"refusing to listen on {host} without a token",
                         hint="set KG_SERVE_TOKEN (or --token) so clients must send Authorization: Bearer ...")
