"""Static pictures of a network with matplotlib: PNG, SVG and PDF a person can read.

Colour by entity type with a legend, node size by degree, short relation labels on edges,
labels nudged apart so they do not pile up, a title saying what is shown and from which
sources, and a seeded layout so the same graph always draws the same way. SVG and PDF carry
no timestamps and a fixed hash salt, so the same graph gives byte-identical files.
"""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx

PALETTE = {
    "Person": "#4C72B0", "Country": "#DD8452", "City": "#937860", "Region": "#8C8C8C", "Company": "#55A868",
    "Organization": "#C44E52", "GovernmentAgency": "#8172B3", "MilitaryUnit": "#64B5CD", "Vessel": "#DA8BC3",
}
EVENT_COLOUR = "#CCB974"
EVENT_PALETTE = {
    "Meeting": "#A6CEE3", "Summit": "#1F78B4", "Visit": "#B2DF8A", "Deal": "#33A02C", "Investment": "#FB9A99",
    "Memorandum": "#E31A1C", "Treaty": "#FDBF6F", "Declaration": "#FF7F00", "Alliance": "#CAB2D6",
    "Membership": "#6A3D9A", "MilitaryExercise": "#B15928", "MissileLaunch": "#000000", "Statement": "#D9D9D9",
    "Position": "#FFFF99",
}
MAX_LABELS = 60
MAX_EDGE_LABELS = 45
LABEL_CHARS = 38


def colour_of(kind: str) -> str:
    return PALETTE.get(kind) or EVENT_PALETTE.get(kind, EVENT_COLOUR)


def short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def layout(graph: nx.MultiDiGraph, seed: int) -> dict:
    """Seeded positions: each connected component laid out on its own, then packed in rows,
    largest first, so small islands do not squeeze the main network into a corner."""
    simple = nx.Graph(graph.to_undirected())
    simple.remove_edges_from(nx.selfloop_edges(simple))
    if len(simple) == 0:
        return {}
    components = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c))
    pos: dict = {}
    x_cursor, y_cursor, row_height = 0.0, 0.0, 0.0
    width_limit = max(2.2 * math.sqrt(len(components[0])), 8.0)  # islands beside, then under, the main network
    for nodes in components:
        sub = simple.subgraph(nodes)
        span = 1.4 * math.sqrt(len(nodes)) if len(nodes) > 1 else 0.5
        if len(nodes) == 1:
            local = {nodes[0]: (0.0, 0.0)}
        elif len(nodes) <= 60:
            local = nx.kamada_kawai_layout(sub)
        elif len(nodes) > 1000:
            local = nx.spectral_layout(sub)  # seconds faster than force layouts at this size; no randomness
        else:
            iterations = 50 if len(nodes) < 500 else 15
            local = nx.spring_layout(sub, seed=seed, k=2.0 / math.sqrt(len(nodes)), iterations=iterations)
        xs = [p[0] for p in local.values()]
        ys = [p[1] for p in local.values()]
        w, h = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
        if x_cursor > 0 and x_cursor + span > width_limit:
            x_cursor, y_cursor, row_height = 0.0, y_cursor - row_height - 1.2, 0.0
        for node, (x, y) in local.items():
            pos[node] = (x_cursor + (x - min(xs)) / w * span, y_cursor - (y - min(ys)) / h * span)
        x_cursor += span + 1.6
        row_height = max(row_height, span)
    return pos


def draw(graph: nx.MultiDiGraph, path: Path, *, title: str, seed: int = 7) -> Path:
    """Draw `graph` to `path` (.png, .svg or .pdf), written atomically."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D


    with matplotlib.rc_context({"svg.hashsalt": "alliance-kg", "svg.fonttype": "path", "font.size": 9,
                                "pdf.compression": 6}):
        n = graph.number_of_nodes()
        size = min(28.0, 11.0 + n / 10)
        fig, ax = plt.subplots(figsize=(size, size * 0.75), dpi=110)
        pos = layout(graph, seed)
        simple = nx.Graph(graph.to_undirected())
        degree = dict(simple.degree())
        top = max(degree.values(), default=1) or 1
        types = sorted({d.get("type", "Entity") for _, d in graph.nodes(data=True)})
        colours = [colour_of(d.get("type", "")) for _, d in graph.nodes(data=True)]
        sizes = [120 + 700 * (degree.get(node, 0) / top) for node in graph.nodes]
        nx.draw_networkx_edges(simple, pos, ax=ax, edge_color="#9A9A9A", width=1.0, alpha=0.7)
        markers = nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=colours, node_size=sizes, linewidths=0.8,
                                         edgecolors="white")
        ax.margins(0.08)
        fig.canvas.draw()  # fix the data-to-pixel transform before labels are placed beside the markers
        ranked = sorted(graph.nodes, key=lambda v: (-degree.get(v, 0), graph.nodes[v].get("label", v)))
        radius = dict(zip(graph.nodes, (math.sqrt(s) / 2 * fig.dpi / 72 for s in sizes)))
        to_data = ax.transData.inverted()
        texts = []
        for node in ranked[:MAX_LABELS]:  # each label just under its marker, never over it
            px, py = ax.transData.transform(pos[node])
            x, y = to_data.transform((px, py - radius[node] - 3))
            texts.append(ax.text(x, y, short(graph.nodes[node].get("label", node)), fontsize=9, ha="center", va="top",
                                 zorder=5, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85}))
        edge_texts = []
        if graph.number_of_edges() <= MAX_EDGE_LABELS:
            edge_labels: dict[tuple[str, str], str] = {}
            for u, v, data in graph.edges(data=True):
                pair = (u, v) if (u, v) in simple.edges else (v, u)
                text = data.get("label", data.get("relation", ""))
                edge_labels[pair] = (edge_labels[pair] + " / " + text) if pair in edge_labels and \
                    text not in edge_labels[pair] else edge_labels.get(pair, text)
            for (u, v), text in sorted(edge_labels.items()):
                (x1, y1), (x2, y2) = pos[u], pos[v]
                edge_texts.append(ax.text((x1 + x2) / 2, (y1 + y2) / 2, short(text, 34), fontsize=7.5, color="#333333",
                                          ha="center", va="center", zorder=4, style="italic",
                                          bbox={"boxstyle": "round,pad=0.1", "fc": "#f7f7f7", "ec": "none",
                                                "alpha": 0.9}))
        if texts or edge_texts:
            from adjustText import adjust_text

            xs, ys = zip(*(pos[v] for v in graph.nodes))
            adjust_text(texts + edge_texts, x=list(xs), y=list(ys), objects=markers, ax=ax, expand=(1.1, 1.25),
                        ensure_inside_axes=True, max_move=None, iter_lim=400, only_move={"text": "xy", "static": "xy",
                                                                                          "explode": "xy", "pull": "xy"},
                        arrowprops={"arrowstyle": "-", "color": "#999999", "lw": 0.5})
        handles = [Line2D([0], [0], marker="o", color="w", markerfacecolor=colour_of(t),
                          markersize=10, label=t) for t in types]
        ax.legend(handles=handles, title="Type", loc="lower left", frameon=True, fontsize=8)
        subtitle = f"{n} nodes, {graph.number_of_edges()} relations; node size = degree"
        if n > MAX_LABELS:
            subtitle += f"; labels on the {MAX_LABELS} best-connected"
        import textwrap

        wrapped = "\n".join(textwrap.wrap(title, width=120, max_lines=3, placeholder=" …"))
        ax.set_title(f"{wrapped}\n{subtitle}", fontsize=12, loc="left")
        ax.set_axis_off()
        fig.tight_layout()

        save_figure(fig, path)
    return path


def save_figure(fig, path: Path) -> Path:  # noqa: ANN001 - a matplotlib Figure
    """Write a figure atomically, without timestamps, so the same picture gives the same bytes."""
    import io

    import matplotlib.pyplot as plt

    from ..writers import write_atomically

    fmt = path.suffix.lstrip(".").lower() or "png"

    def render() -> bytes:
        buffer = io.BytesIO()
        metadata = {"svg": {"Date": None, "Creator": "alliance-kg"},
                    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "alliance-kg", "Producer": "alliance-kg"},
                    "png": {"Software": "alliance-kg"}}.get(fmt)
        fig.savefig(buffer, format=fmt, metadata=metadata)
        return buffer.getvalue()

    try:
        write_atomically(path.parent, {path.name: render})
    finally:
        plt.close(fig)
    return path


def _short(name: str, width: int = 70) -> str:
    return name if len(name) <= width else name[:width - 1].rstrip() + "…"


def sources_caption(graph: nx.MultiDiGraph, limit: int = 4, names: dict[str, str] | None = None) -> str:
    """The articles behind the drawn edges, by title, publisher and date (`names`), ids only
    when an article has no title."""
    sources = sorted({s for _, _, d in graph.edges(data=True) for s in d.get("sources", "").split(";") if s})
    named = [_short((names or {}).get(s, s)) for s in sources]
    shown = "; ".join(named[:limit]) + (f" and {len(sources) - limit} more" if len(sources) > limit else "")
    return f"{len(sources)} article(s): {shown}" if sources else "no articles"
