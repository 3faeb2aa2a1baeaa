"""`kg export`: write a (filtered) network in the format a user's next tool reads."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from ..errors import QueryError
from .filters import NetworkFilter, apply
from .project import Facts, entity_view, full_view, load_facts

FORMATS = ("png", "svg", "pdf", "graphml", "gexf", "cytoscape", "json", "dot", "html")


def project(store, view: str, flt: NetworkFilter) -> tuple[nx.MultiDiGraph, Facts]:  # noqa: ANN001
    facts = load_facts(store)
    if view not in ("entity", "full"):
        raise QueryError(f"unknown view {view!r}", hint="use --view entity or --view full")
    graph = entity_view(facts) if view == "entity" else full_view(facts)
    return apply(graph, flt), facts


def title_for(graph: nx.MultiDiGraph, view: str, flt: NetworkFilter, facts: Facts | None = None) -> str:
    what = "Alliance network" + (" (events as nodes)" if view == "full" else "")
    detail = flt.describe()
    from .draw import sources_caption

    return f"{what}{' — ' + detail if detail else ''} · " \
           f"{sources_caption(graph, names=facts.articles if facts is not None else None)}"


def _text(render) -> callable:  # noqa: ANN001
    import io

    def inner() -> bytes:
        buffer = io.BytesIO()
        render(buffer)
        return buffer.getvalue()
    return inner


def _dot(graph: nx.MultiDiGraph) -> str:
    """DOT via pydot, with every attribute quoted as pydot requires."""
    copy = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        copy.add_node(node, **{k: json.dumps(str(v), ensure_ascii=False) for k, v in data.items()})
    for u, v, key, data in graph.edges(keys=True, data=True):
        copy.add_edge(u, v, key=key, **{k: json.dumps(str(v), ensure_ascii=False) for k, v in data.items()})
    return nx.nx_pydot.to_pydot(copy).to_string()


def export(graph: nx.MultiDiGraph, facts: Facts, fmt: str, path: Path, *, title: str) -> Path:
    """Write `graph` to `path` in `fmt`, atomically."""
    from ..writers import write_atomically

    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
    if fmt in ("png", "svg", "pdf"):
        from .draw import draw

        return draw(graph, path.with_suffix("." + fmt) if path.suffix.lstrip(".") != fmt else path, title=title)
    if fmt == "html":
        from .html import write_html

        return write_html(graph, facts, path, title=title.split(" · ")[0], subtitle=title.split(" · ")[-1])
    renders = {
        "graphml": _text(lambda b: nx.write_graphml(graph, b)),
        "gexf": _text(lambda b: nx.write_gexf(graph, b)),
        "cytoscape": lambda: json.dumps(nx.cytoscape_data(graph), indent=1, sort_keys=True, ensure_ascii=False) + "\n",
        "json": lambda: json.dumps(nx.node_link_data(graph, edges="links"), indent=1, sort_keys=True,
                                   ensure_ascii=False) + "\n",
        "dot": lambda: _dot(graph),
    }
    write_atomically(path.parent, {path.name: renders[fmt]})
    return path
