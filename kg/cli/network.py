"""`kg export` and `kg timeline`: the graph as a network, a picture, a page or a file for Gephi."""

from __future__ import annotations

from pathlib import Path

import click

from .options import build_dir_option


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["png", "svg", "pdf", "graphml", "gexf", "cytoscape", "json",
                                                    "dot", "html"]), required=True, help="What to write.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The file to write (default: build/network.FORMAT).")
@click.option("--view", type=click.Choice(["entity", "full"]), default="entity", show_default=True,
              help="entity: events collapse into edges between entities; full: events are nodes.")
@click.option("--center", default=None, help="Only the ego network of this entity (label, alias or id).")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True, help="Steps from --center.")
@click.option("--relation", "relations", multiple=True, help="Only these relations (e.g. Deal, Summit); repeatable.")
@click.option("--type", "types", multiple=True, help="Only entities of these types (e.g. Country); repeatable.")
@click.option("--since", default=None, help="Only relations dated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", default=None, help="Only relations dated on or before this date.")
@click.option("--source", default=None, help="Only relations stated by this article id.")
@click.option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
              help="The network of that day: positions held then, relations dated by then.")
@build_dir_option
def export_command(fmt: str, out: Path | None, view: str, center: str | None, depth: int, relations: tuple[str, ...],
                   types: tuple[str, ...], since: str | None, until: str | None, source: str | None,
                   as_of: str | None, build_dir: Path) -> None:
    """Export the network of entities and relations.

    PNG, SVG and PDF are drawn with matplotlib; HTML is a self-contained interactive page that
    works offline; GraphML and GEXF open in Gephi, the Cytoscape JSON in Cytoscape.

    \b
    Example:
        kg export --format png
        kg export --format html --out network.html
        kg export --format png --as-of 2022-11-04
        kg export --format graphml --relation Deal --relation Investment
        kg export --format svg --center "Lee Jae Myung" --depth 2
    """
    from ..network.export import export, project, title_for
    from ..network.filters import NetworkFilter
    from ..store import open_store

    from ..saved import is_day

    if as_of is not None and not is_day(as_of):
        raise click.BadParameter(f"{as_of!r} is not a day; write it as YYYY-MM-DD", param_hint="--as-of")
    flt = NetworkFilter(center, depth, relations, types, since, until, source, as_of)
    graph, facts = project(open_store(build_dir), view, flt)
    path = out or build_dir / f"network.{fmt}"
    export(graph, facts, fmt, path, title=title_for(graph, view, flt, facts))
    click.echo(f"Wrote {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges to {path}")


@click.command("timeline")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The picture to write, .png, .svg or .pdf (default: build/timeline.png).")
@click.option("--statements", is_flag=True, help="Also show dated statements.")
@build_dir_option
def timeline_command(out: Path | None, statements: bool, build_dir: Path) -> None:
    """Draw the dated events on a time axis, coloured by kind.

    \b
    Example:
        kg timeline
        kg timeline --out timeline.svg --statements
    """
    from ..network.project import load_facts
    from ..network.timeline import draw_timeline
    from ..store import open_store

    path = out or build_dir / "timeline.png"
    draw_timeline(load_facts(open_store(build_dir)), path, include_statements=statements)
    click.echo(f"Wrote {path}")


COMMANDS = [export_command, timeline_command]
