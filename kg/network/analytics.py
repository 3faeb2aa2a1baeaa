"""Network analytics: who sits at the centre, which communities form, what is most corroborated."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True)
class NetworkStats:
    nodes: int
    edges: int
    degree: list[tuple[str, float]]
    betweenness: list[tuple[str, float]]
    communities: list[list[str]]
    corroborated: list[tuple[str, str, str, int, int]]
    """(from label, relation label, to label, facts, articles), most corroborated first."""


def simple_undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """One undirected edge per connected pair, weighted by the number of facts behind it."""
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        weight = simple.edges[u, v]["weight"] + data.get("fact_count", 1) if simple.has_edge(u, v) else \
            data.get("fact_count", 1)
        simple.add_edge(u, v, weight=weight)
    return simple


def network_stats(graph: nx.MultiDiGraph, top: int = 10) -> NetworkStats:
    simple = simple_undirected(graph)
    label = {n: d.get("label", n) for n, d in graph.nodes(data=True)}

    def ranked(scores: dict) -> list[tuple[str, float]]:
        return sorted(((label[n], round(s, 4)) for n, s in scores.items()), key=lambda x: (-x[1], x[0]))[:top]

    degree = ranked(nx.degree_centrality(simple)) if len(simple) > 1 else []
    between = ranked(nx.betweenness_centrality(simple, seed=7)) if len(simple) > 2 else []
    communities: list[list[str]] = []
    if simple.number_of_edges():
        found = nx.community.greedy_modularity_communities(simple, weight="weight")
        communities = sorted((sorted(label[n] for n in c) for c in found), key=lambda c: (-len(c), c))
    corroborated = sorted(
        ((label[u], d.get("label", ""), label[v], int(d.get("fact_count", 0)),
          len([s for s in d.get("sources", "").split(";") if s])) for u, v, d in graph.edges(data=True)),
        key=lambda x: (-x[4], -x[3], x[0], x[1], x[2]))[:top]
    return NetworkStats(graph.number_of_nodes(), graph.number_of_edges(), degree, between, communities, corroborated)


def format_stats(stats: NetworkStats) -> str:
    lines = [f"Network: {stats.nodes} entities, {stats.edges} relations (entity view)", "Degree centrality:"]
    lines += [f"  {name}: {score}" for name, score in stats.degree]
    lines.append("Betweenness centrality:")
    lines += [f"  {name}: {score}" for name, score in stats.betweenness]
    lines.append("Communities:")
    lines += [f"  {i}. {', '.join(c)}" for i, c in enumerate(stats.communities, start=1)]
    lines.append("Most corroborated relations (articles, facts):")
    lines += [f"  {a} —{rel}→ {b}: {arts} article(s), {facts} fact(s)" for a, rel, b, facts, arts in stats.corroborated]
    return "\n".join(lines)
