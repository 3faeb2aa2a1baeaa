"""Narrow a projected network: an ego network, relations, entity types, a time window, a source."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from ..errors import QueryError
from ..registry import normalise_name


@dataclass(frozen=True)
class NetworkFilter:
    center: str | None = None
    depth: int = 1
    relations: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    source: str | None = None
    as_of: str | None = None
    """YYYY-MM-DD: the network of that day — positions held that day (their terms, see
    kg/timeline.py), other relations dated on or before it, and undated ones."""

    def describe(self) -> str:
        parts = []
        if self.center:
            parts.append(f"within {self.depth} step(s) of {self.center}")
        if self.relations:
            parts.append("relations " + ", ".join(self.relations))
        if self.types:
            parts.append("types " + ", ".join(self.types))
        if self.since or self.until:
            parts.append(f"dated {self.since or '…'} to {self.until or '…'}")
        if self.source:
            parts.append(f"from article {self.source}")
        if self.as_of:
            parts.append(f"as of {self.as_of}")
        return "; ".join(parts)


def find_node(graph: nx.MultiDiGraph, text: str) -> str:
    """The node a user means, by label, IRI or id, case-insensitive; did-you-mean otherwise."""
    import difflib

    key = normalise_name(text)
    for node, data in graph.nodes(data=True):
        if key in (normalise_name(data.get("label", "")), normalise_name(node.rsplit("/", 1)[-1])) or node == text:
            return node
    labels = {normalise_name(d.get("label", "")): d.get("label", "") for _, d in graph.nodes(data=True)}
    guess = difflib.get_close_matches(key, list(labels), n=3, cutoff=0.5)
    raise QueryError(f"no entity {text!r} in the network",
                     hint=f"did you mean {', '.join(repr(labels[g]) for g in guess)}?" if guess
                     else "`kg query entities` lists the entities")


def _edge_in_window(data: dict, since: str | None, until: str | None) -> bool:
    dates = [d for d in data.get("dates", "").split(";") if d]
    if not dates:
        return False
    return any((since is None or d >= since) and (until is None or d[: len(until)] <= until) for d in dates)


def _edge_as_of(data: dict, day: str) -> bool:
    """Did the relation hold on `day`? A position: one of its terms covers the day. Another
    relation: it is dated on or before the day, or undated."""
    if data.get("relation") == "Position":
        for term in filter(None, data.get("terms", "").split(";")):
            start, _, until = term.partition("/")
            if start <= day and (not until or day <= until):
                return True
        return False
    first = data.get("first_date", "")
    return not first or first[:len(day)] <= day


def apply(graph: nx.MultiDiGraph, flt: NetworkFilter) -> nx.MultiDiGraph:
    """A filtered copy; edges are filtered first, then nodes left without edges are dropped
    unless nothing but node filters was asked for."""
    edge_filters = bool(flt.relations or flt.since or flt.until or flt.source or flt.as_of)
    if flt.center and not edge_filters and not flt.types:  # the common case: no need to copy everything
        center = find_node(graph, flt.center)
        result = nx.ego_graph(graph, center, radius=flt.depth, undirected=True)
        result.graph["center"] = center
        return result
    result = graph.copy()
    if edge_filters:
        wanted = {r.lower() for r in flt.relations}
        drop = []
        for u, v, k, data in result.edges(keys=True, data=True):
            if wanted and data.get("relation", "").lower() not in wanted and data.get("label", "").lower() not in wanted:
                drop.append((u, v, k))
            elif (flt.since or flt.until) and not _edge_in_window(data, flt.since, flt.until):
                drop.append((u, v, k))
            elif flt.source and flt.source not in data.get("sources", "").split(";"):
                drop.append((u, v, k))
            elif flt.as_of and not _edge_as_of(data, flt.as_of):
                drop.append((u, v, k))
        result.remove_edges_from(drop)
    if flt.types:
        types = {t.lower() for t in flt.types}
        result.remove_nodes_from([n for n, d in result.nodes(data=True) if d.get("type", "").lower() not in types])
    if edge_filters:
        result.remove_nodes_from([n for n in list(result.nodes) if result.degree(n) == 0])
    if flt.center:
        center = find_node(graph, flt.center)
        if center not in result:
            return nx.MultiDiGraph(**graph.graph)
        result = nx.ego_graph(result, center, radius=flt.depth, undirected=True)
        result.graph["center"] = center
    return result
