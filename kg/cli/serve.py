"""`kg serve`: the read-only SPARQL endpoint."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import click

from .options import build_dir_option


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (others need a token).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a query may run before it is stopped (answers 503).")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most rows (or triples) one answer carries; more sets the KG-Truncated header.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Query worker processes: the number of queries answered at once.")
@click.option("--token", default=None, help="Bearer token clients must send (default: $KG_SERVE_TOKEN).")
@click.option("--cors-origin", "cors", multiple=True, help="Allow browsers from this origin (CORS is off by default).")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Also answer requests whose Host header is NAME (loopback names and --host always are); "
                   "others get 400, which stops DNS rebinding.")
@click.option("--memory/--no-memory", default=None,
              help="Answer from an in-memory copy of the build, loaded by each worker after it starts (it "
                   "answers from disk meanwhile) [default: when the build has at most 2 million quads].")
@click.option("--cache-mb", type=click.IntRange(min=0), default=64, show_default=True,
              help="Megabytes of answers kept and sent again when the same query comes back, without running "
                   "it (the build never changes while served); 0 keeps none.")
@build_dir_option
def serve_command(host: str, port: int, timeout: float, max_rows: int, workers: int, token: str | None,
                  cors: tuple[str, ...], allowed_hosts: tuple[str, ...], memory: bool | None, cache_mb: int,
                  build_dir: Path) -> None:
    """Serve the build as a read-only SPARQL 1.1 endpoint, with a query page at /.

    \b
    Example:
        kg serve --port 8000
        curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s a akg:Deal }' http://127.0.0.1:8000/sparql
    """
    import uvicorn

    from ..server.app import SECURITY_HEADERS, Settings, check_binding, create_app
    from ..store import open_store

    token = token or os.environ.get("KG_SERVE_TOKEN")
    check_binding(host, token)
    open_store(build_dir)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if memory is None:
        memory = (build_quads(build_dir) or 0) <= MEMORY_QUADS
    settings = Settings(build_dir, timeout=timeout, max_rows=max_rows, workers=workers, token=token, memory=memory,
                        cors_origins=cors, allowed_hosts=(*allowed_hosts, host), answer_bytes=cache_mb * 1024 * 1024)
    click.echo(f"SPARQL endpoint on http://{host}:{port}/sparql (query page: http://{host}:{port}/)", err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", access_log=False,
                headers=SECURITY_HEADERS)


MEMORY_QUADS = 2_000_000
"""Builds up to this size are served from memory by default: a copy per worker costs a few
hundred megabytes at this size, and queries answer four to six times faster than from disk."""


def build_quads(build_dir: Path) -> int | None:
    """The number of quads the build's manifest records, or None."""
    import json

    try:
        return int(json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))["summary"]["quads"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


COMMANDS = [serve_command]
