"""`kg query`, `kg queries`, `kg show`: ask the built graph questions."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from ..errors import BuildError, QueryError
from ..query import GRAPH_FORMATS, SELECT_FORMATS
from .options import build_dir_option, ontology_option, sources_option

SPARQL_START = re.compile(r"(?is)^\s*(#[^\n]*\n\s*)*(PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|"
                          r"LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b")


def check_fresh(build_dir: Path, sources: Path, ontology: Path, allow_stale: bool) -> None:
    """Refuse to answer from a build older than its sources, unless told to."""
    from ..store import STORE_DIR, stale_inputs

    if not (build_dir / STORE_DIR).is_dir():
        raise BuildError("no SPARQL store in this build", path=build_dir, hint="run `kg build` first")
    if allow_stale or not sources.is_dir():
        return
    changed = stale_inputs(build_dir, sources, ontology)
    if changed:
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        raise BuildError(f"the build is stale: changed since it was built: {shown}",
                         path=build_dir, hint="run `kg build`, or pass --allow-stale to query it anyway")


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        if "=" not in pair:
            raise QueryError(f"--param {pair!r} is not NAME=VALUE", hint="e.g. --param entity=Boeing")
        key, value = pair.split("=", 1)
        params[key.strip()] = value.strip()
    return params


def resolve_query_text(query: str | None, file: Path | None, params: dict[str, str], build_dir: Path,
                       endpoint: str | None) -> str:
    """Inline text, a file, stdin ('-') or a saved query's name -> the SPARQL to run."""
    from ..saved import fill, get_saved

    if file is not None:
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"cannot read the query file: {exc}", path=file) from None
    if query is None:
        raise QueryError("no query given", hint="pass the query text, a saved query's name, --file FILE or -")
    if query == "-":
        return sys.stdin.read()
    if SPARQL_START.match(query) or "{" in query:
        return query
    saved = get_saved(query)
    values: dict[str, str] = {}
    if saved.params and params:
        if endpoint is not None:
            values = {k: v if "://" in v or k in saved.dates else f"https://w3id.org/alliance-kg/id/entity/{v}"
                      for k, v in params.items()}
        else:
            from ..lookup import find_entity
            from ..store import open_store

            store = open_store(build_dir)
            values = {k: v if k in saved.dates else find_entity(store, v).iri for k, v in params.items()}
    elif params:
        values = params
    return fill(saved, values)


@click.command("query")
@click.argument("query", required=False)
@click.option("--file", "file", type=click.Path(path_type=Path, dir_okay=False), help="Read the query from FILE.")
@click.option("--format", "fmt", type=click.Choice(SELECT_FORMATS + GRAPH_FORMATS), default=None,
              help="table (default), csv, tsv, json, xml for SELECT and ASK; turtle (default), ntriples, "
                   "jsonld for CONSTRUCT and DESCRIBE.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Show at most N rows.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None, help="Stop the query after SECONDS.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A saved query's parameter, e.g. --param entity=Boeing.")
@click.option("--endpoint", metavar="URL", default=None,
              help="Ask this SPARQL endpoint instead of the local build (e.g. after `kg push`).")
@click.option("--allow-update", is_flag=True,
              help="Apply a SPARQL update to the local store (the next `kg build` replaces it).")
@click.option("--allow-stale", is_flag=True, help="Answer even if sources/ changed since the build.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", default=None,
              help="What held on this day: who held which office, which agreements had been made "
                   "(the saved query as-of; with a saved query that takes a date, its date).")
@build_dir_option
@sources_option
@ontology_option
def query_command(query: str | None, file: Path | None, fmt: str | None, limit: int | None, timeout: float | None,
                  params: tuple[str, ...], endpoint: str | None, allow_update: bool, allow_stale: bool,
                  as_of: str | None, build_dir: Path, sources: Path, ontology: Path) -> None:
    """Run a SPARQL query, inline, from a file, from stdin (-) or by saved name.

    The project's prefixes (akg:, schema:, prov:, oa:, dcterms:, ent:, ...) are predeclared, and
    the default graph is the union of all named graphs. Updates, SERVICE, LOAD and FROM are
    refused. ASK prints yes or no and exits 0 for yes, 1 for no.

    \b
    Example:
        kg query deals
        kg query entity --param entity=Boeing
        kg query "SELECT ?p ?title WHERE { ?x akg:holder ?p ; schema:roleName ?title }" --format csv
        echo "ASK { ?d a akg:Deal }" | kg query -
        kg query --as-of 2022-11-04
    """
    from ..query import render, run_query

    given = parse_params(params)
    if as_of is not None:
        query = query or "as-of"
        given.setdefault("date", as_of)
    text = resolve_query_text(query, file, given, build_dir, endpoint)
    if endpoint is not None:
        from ..remote import remote_query
        from ..sparql_safety import inspect_query

        info = inspect_query(text)
        answer = render(remote_query(endpoint, info.text, timeout=timeout or 60.0), info.kind,
                        fmt or ("turtle" if info.kind in ("construct", "describe") else "table"), limit)
    else:
        check_fresh(build_dir, sources, ontology, allow_stale)
        try:
            from ..sparql_safety import UnsafeQuery, inspect_query

            inspect_query(text)
        except UnsafeQuery:
            if not allow_update or re.search(r"(?i)\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", text.split("{")[0]):
                raise
            apply_update(build_dir, text)
            return
        kind_default = "turtle" if re.search(r"(?i)\b(CONSTRUCT|DESCRIBE)\b", text) else "table"
        answer = run_query(build_dir, text, fmt or kind_default, limit=limit, timeout=timeout)
    click.echo(answer.text.rstrip("\n"))
    if answer.boolean is False:
        raise click.exceptions.Exit(1)


def apply_update(build_dir: Path, text: str) -> None:
    import pyoxigraph as ox

    from ..sparql_safety import inspect_update
    from ..store import STORE_DIR

    checked = inspect_update(text)
    path = build_dir / STORE_DIR
    if not path.is_dir():
        raise BuildError("no SPARQL store in this build", path=build_dir, hint="run `kg build` first")
    from ..answers import updating

    with updating(build_dir):  # answers kept for the store as it was no longer hold
        store = ox.Store(str(path))
        try:
            store.update(checked)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL update syntax error: {exc}") from None
        store.flush()
    click.echo(f"Update applied to {path}; the next `kg build` replaces it with what sources/ says.", err=True)


@click.command("queries")
@click.option("--federated", is_flag=True,
              help="Print the federated examples (the graph joined with Wikidata through SERVICE) for your own "
                   "SPARQL client; kg never runs them.")
def queries_command(federated: bool) -> None:
    """List the saved analyst queries.

    \b
    Example:
        kg queries
        kg query deals --format csv
        kg queries --federated
    """
    from ..saved import federated_queries, saved_queries

    if federated:
        for name, saved in federated_queries().items():
            click.echo(f"# {name}: {saved.title}\n{saved.text}")
        return
    for name, saved in saved_queries().items():
        params = f"  [--param {', '.join(saved.params)}]" if saved.params else ""
        click.echo(f"{name:22} {saved.title}{params}")
        click.echo(f"{'':22} {saved.description}")


@click.command("show")
@click.argument("entity")
@click.option("--html", "as_html", is_flag=True,
              help="Write a one-page offline dossier: identity, every fact with its quotes, timeline, network.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The dossier to write with --html (default: build/dossier-ID.html).")
@click.option("--allow-stale", is_flag=True, help="Answer even if sources/ changed since the build.")
@build_dir_option
@sources_option
@ontology_option
def show_command(entity: str, as_html: bool, out: Path | None, allow_stale: bool, build_dir: Path, sources: Path,
                 ontology: Path) -> None:
    """Every fact about an entity, each with its quotes, articles and dates.

    ENTITY is a label, alias, short name, id or IRI, in any case.

    \b
    Example:
        kg show Boeing
        kg show "lee jong-sup"
        kg show "lee jong-sup" --html --out lee.html
    """
    from ..show import facts_about, format_facts
    from ..store import open_store

    check_fresh(build_dir, sources, ontology, allow_stale)
    if as_html:
        from ..dossier import dossier
        from ..writers import write_atomically

        match, page = dossier(open_store(build_dir), entity)
        path = out or build_dir / f"dossier-{match.iri.rsplit('/', 1)[-1]}.html"
        write_atomically(path.parent, {path.name: lambda: page})
        click.echo(f"Wrote the dossier of {match.label} to {path}")
        return
    if out is not None:
        raise click.UsageError("--out is for the --html dossier; add --html")
    match, facts = facts_about(open_store(build_dir), entity)
    click.echo(format_facts(match, facts))


@click.command("conflicts")
@click.option("--allow-stale", is_flag=True, help="Answer even if sources/ changed since the build.")
@build_dir_option
@sources_option
@ontology_option
def conflicts_command(allow_stale: bool, build_dir: Path, sources: Path, ontology: Path) -> None:
    """Where the articles disagree: each conflict with every side's value and quotes side by side.

    A conflict is the same deal, event or agreement told with another value, quantity, date,
    place or year (see ontology/README.md, Conflicts). The saved query `conflicts` gives the
    same as a table.

    \b
    Example:
        kg conflicts
        kg query conflicts --format csv
    """
    from ..disagreements import format_conflicts, read_conflicts

    check_fresh(build_dir, sources, ontology, allow_stale)
    click.echo(format_conflicts(read_conflicts(build_dir)))


COMMANDS = [query_command, queries_command, show_command, conflicts_command]
