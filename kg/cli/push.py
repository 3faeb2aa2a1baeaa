"""`kg push`: upload the built dataset to an external SPARQL store."""

from __future__ import annotations

from pathlib import Path

import click

from ..remote import check_url, ensure_build, push
from .options import build_dir_option


@click.command("push")
@click.option("--endpoint", required=True, metavar="URL",
              help="The server's Graph Store Protocol endpoint (Oxigraph: http://HOST:7878/store; "
                   "Fuseki: http://HOST:3030/DATASET/data).")
@click.option("--prune", "prune_query", metavar="QUERY_URL", default=None,
              help="Also delete this project's graphs that the server has but the build does not, "
                   "found through this SPARQL query endpoint.")
@click.option("--update", "update_endpoint", metavar="UPDATE_URL", default=None,
              help="The server's SPARQL 1.1 Update endpoint (Oxigraph: http://HOST:7878/update; Fuseki: "
                   "http://HOST:3030/DATASET/update): after the first push, send only what changed.")
@click.option("--force", is_flag=True, help="Push every graph, even those recorded as already pushed.")
@build_dir_option
def push_command(endpoint: str, prune_query: str | None, update_endpoint: str | None, force: bool,
                 build_dir: Path) -> None:
    """Upload the build to a SPARQL server, one named graph at a time, or only what changed.

    Each graph is replaced (HTTP PUT), so pushing twice gives the same data. An interrupted push
    resumes where it stopped; unchanged graphs are skipped. With --update, later pushes send
    only the quads that came and went since the last one (SPARQL Update DELETE DATA / INSERT
    DATA), a few kilobytes after a one-article change. Credentials are read from the
    environment: KG_ENDPOINT_TOKEN, or KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD.

    \b
    Example:
        oxigraph serve --location /tmp/ox --bind 127.0.0.1:7878 &
        kg push --endpoint http://127.0.0.1:7878/store --update http://127.0.0.1:7878/update
        kg query --endpoint http://127.0.0.1:7878/query deals
    """
    check_url(endpoint, "the Graph Store endpoint")
    ensure_build(build_dir)
    from ..store import open_store

    total = len(list(open_store(build_dir).store.named_graphs()))  # type: ignore[attr-defined]
    with click.progressbar(length=total, label="Pushing graphs", file=click.get_text_stream("stderr")) as bar:
        report = push(build_dir, endpoint, force=force, prune_query_endpoint=prune_query, progress=bar.update,
                      update_endpoint=update_endpoint)
    if report.delta is not None:
        delta = report.delta
        click.echo(f"Sent the change as {delta.requests} update(s) ({delta.bytes_sent} bytes): "  # type: ignore[attr-defined]
                   f"{delta.removed_blocks} block(s) removed, {delta.added_blocks} added, "  # type: ignore[attr-defined]
                   f"{delta.dropped_graphs} emptied graph(s) dropped at {update_endpoint}")  # type: ignore[attr-defined]
        return
    click.echo(f"{report.graphs} graphs ({report.quads} quads): {report.pushed} pushed, "
               f"{report.skipped} unchanged, {report.deleted} deleted at {endpoint}"
               + (f" ({report.retries} requests retried)" if report.retries else ""))


COMMANDS = [push_command]
