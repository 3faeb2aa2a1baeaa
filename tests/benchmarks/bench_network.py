"""Network export speed on a synthetic entity graph of 10k nodes (the entity-view shape).

Run on purpose:  python -m tests.benchmarks.bench_network
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import networkx as nx

from tests.benchmarks.timing import timed
from kg.network.draw import draw
from kg.network.export import export
from kg.network.filters import NetworkFilter, apply
from kg.network.html import render_html
from kg.network.project import Facts

TYPES = ["Person", "Country", "Company", "Organization", "City"]


def synthetic(nodes: int, edges: int, seed: int = 5) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    graph = nx.MultiDiGraph(view="entity")
    ids = [f"https://w3id.org/alliance-kg/id/entity/n{i}" for i in range(nodes)]
    for i, node in enumerate(ids):
        graph.add_node(node, label=f"Entity {i}", type=TYPES[i % len(TYPES)], fact_count=1, sources="a")
    weights = [1.0 / (i + 1) ** 0.8 for i in range(nodes)]  # a few hubs, like real news networks
    for e in range(edges):
        u, v = rng.choices(ids, weights=weights, k=2)
        if u != v:
            graph.add_edge(u, v, key=f"Deal:{e}", relation="Deal", label="sells to", directed=True, fact_count=1,
                           sources="a1;a2", dates="2023-01-01", first_date="2023-01-01", last_date="2023-01-01",
                           quotes=1, facts=f"https://w3id.org/alliance-kg/id/fact/f{e}")
    return graph


def main() -> None:
    graph = synthetic(10_000, 30_000)
    out = Path(tempfile.mkdtemp(prefix="kg-bench-net-"))
    hub = "https://w3id.org/alliance-kg/id/entity/n40"
    ego = apply(graph, NetworkFilter(center="Entity 40", depth=1))
    ego_png = timed(lambda: draw(apply(graph, NetworkFilter(center="Entity 40", depth=1)), out / "ego.png",
                                 title="ego"))
    small = graph.subgraph(list(graph.nodes)[:2000]).copy()
    html = timed(lambda: render_html(small, Facts({}, []), title="2k"))
    graphml = timed(lambda: export(graph, Facts({}, []), "graphml", out / "g.graphml", title="g"))
    print(f"synthetic entity graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges (median of 3)")
    print(f"ego network PNG (filter + layout + draw; {ego.number_of_nodes()} nodes around {hub.rsplit('/', 1)[-1]}): {ego_png:.2f} s")
    print(f"HTML of {small.number_of_nodes()} nodes / {small.number_of_edges()} edges: {html:.2f} s")
    print(f"GraphML of the whole graph: {graphml:.2f} s ({(out / 'g.graphml').stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
