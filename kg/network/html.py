"""An interactive, self-contained HTML page of a network that works offline.

The vis-network library (MIT/Apache-2.0, vendored from the npm registry with its licences in
kg/static/) is inlined, and so is the data: no CDN, no request leaves the page. Search by name,
filter by type, and click a node or an edge to read the facts behind it with their evidence
quotes, articles and dates. Positions come from a seeded layout, so the page is deterministic.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path

import networkx as nx

from .draw import colour_of, layout
from .project import Facts

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>__TITLE__</title>
<style>
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; display: grid; grid-template-columns: 1fr 380px; height: 100vh; overflow: hidden; }
#graph { border-right: 1px solid #ddd; height: 100vh; min-width: 0; }
#side { padding: 10px 14px; overflow-y: auto; }
h1 { font-size: 16px; margin: 4px 0 8px; }
.note { color: #666; font-size: 12px; }
input[type=search] { width: 100%; padding: 5px; box-sizing: border-box; }
#types label { display: inline-block; margin: 2px 8px 2px 0; font-size: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin-right: 3px; }
.fact { border-top: 1px solid #eee; padding: 6px 0; }
blockquote { margin: 4px 0 4px 8px; padding-left: 8px; border-left: 3px solid #ccc; color: #333; }
.src { color: #666; font-size: 12px; }
.conflict { border: 1px solid #d33; border-radius: 4px; padding: 4px 8px; margin: 6px 0; background: #fff5f5; }
.conflict h3 { font-size: 13px; margin: 2px 0; color: #b00; }
</style></head>
<body>
<div id="graph"></div>
<div id="side">
<h1>__TITLE__</h1>
<div class="note">__SUBTITLE__</div>
<p><input id="search" type="search" placeholder="Find an entity by name…" list="names"><datalist id="names"></datalist></p>
<div id="types"></div>
<div id="details"><p class="note">Click a node or an edge to see the facts behind it, with their quotes.</p></div>
</div>
<script>__VIS__</script>
<script>
const DATA = __DATA__;
const nodes = new vis.DataSet(DATA.nodes);
const edges = new vis.DataSet(DATA.edges);
const hidden = new Set();
const view = { nodes: new vis.DataView(nodes, { filter: n => !hidden.has(n.group) }), edges: edges };
const network = new vis.Network(document.getElementById("graph"), view, {
  physics: DATA.nodes.length > 1000 ? { stabilization: { iterations: 120 }, barnesHut: { gravitationalConstant: -3000 } } : false, interaction: { hover: true, tooltipDelay: 150 },
  nodes: { shape: "dot", font: { size: 16, strokeWidth: 4, strokeColor: "#fff" },
           scaling: { min: 8, max: 30, label: { enabled: true, min: 16, max: 44, drawThreshold: 6, maxVisible: 28 } } },
  edges: { arrows: { to: { enabled: true, scaleFactor: 0.5 } },
           font: { size: 13, align: "middle", strokeWidth: 4, strokeColor: "#fff", color: "#333" },
           color: { color: "#aaa", highlight: "#333" }, smooth: false }
});
// Fit every node in view on load, with a margin so markers and labels at the edge are not cut off.
network.once("afterDrawing", () => {
  network.fit({ animation: false });
  network.moveTo({ scale: network.getScale() * 0.9, animation: false });
});
window.KG_OUTSIDE = () => {  // nodes whose marker is not wholly on screen
  const box = document.getElementById("graph").getBoundingClientRect();
  return Object.entries(network.getPositions()).filter(([id, p]) => {
    const d = network.canvasToDOM(p), r = 8;
    return d.x - r < 0 || d.y - r < 0 || d.x + r > box.width || d.y + r > box.height;
  }).map(([id]) => id);
};
network.on("stabilizationIterationsDone", () => network.setOptions({ physics: false }));
window.KG_STATS = { nodes: nodes.length, edges: edges.length };
window.KG_PAINTED = () => {
  const canvas = document.querySelector("#graph canvas"); if (!canvas) return 0;
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0; for (let i = 3; i < data.length; i += 16) if (data[i] > 0) painted++;
  return painted;
};
const esc = s => String(s).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));
function conflictHtml(id) {
  const c = DATA.conflicts[id]; if (!c) return "";
  return '<div class="conflict"><h3>⚠ Articles disagree on the ' + esc(c.role) + '</h3>' + c.sides.map(s =>
    '<div><b>' + esc(c.role) + ' = ' + esc(s.value) + '</b>' + s.quotes.map(q =>
      '<blockquote>“' + esc(q[1]) + '”</blockquote><div class="src">' + esc(q[0]) + '</div>').join("") +
    '</div>').join("") + '</div>';
}
function factHtml(id) {
  const f = DATA.facts[id]; if (!f) return "";
  return '<div class="fact"><b>' + esc(f.summary) + '</b>' + f.conflicts.map(conflictHtml).join("") +
    f.quotes.map(q =>
    '<blockquote>“' + esc(q.quote) + '”</blockquote><div class="src">' + esc(q.article) +
    (q.date ? ', ' + esc(q.date) : '') + ' · ' + esc(q.method) + '</div>').join("") + '</div>';
}
function show(title, factIds) {
  document.getElementById("details").innerHTML = '<h2 style="font-size:15px">' + esc(title) + '</h2>' +
    (factIds.length ? factIds.map(factHtml).join("") : '<p class="note">No facts.</p>');
}
network.on("click", params => {
  if (params.nodes.length) {
    const n = nodes.get(params.nodes[0]);
    const ids = new Set();
    edges.get().forEach(e => { if (e.from === n.id || e.to === n.id) e.facts.forEach(f => ids.add(f)); });
    (n.facts || []).forEach(f => ids.add(f));
    show(n.label + " (" + n.group + ")", [...ids].sort());
  } else if (params.edges.length) {
    const e = edges.get(params.edges[0]);
    show(nodes.get(e.from).label + " — " + e.label + " — " + nodes.get(e.to).label, e.facts);
  }
});
const list = document.getElementById("names");
nodes.get().map(n => n.label).sort().forEach(l => { const o = document.createElement("option"); o.value = l; list.appendChild(o); });
document.getElementById("search").addEventListener("change", ev => {
  const wanted = ev.target.value.trim().toLowerCase();
  const hit = nodes.get().find(n => n.label.toLowerCase() === wanted) ||
              nodes.get().find(n => n.label.toLowerCase().includes(wanted));
  if (hit) { network.selectNodes([hit.id]); network.focus(hit.id, { scale: 1.2, animation: false });
             network.emit("click", { nodes: [hit.id], edges: [] }); }
});
const typesBox = document.getElementById("types");
DATA.types.forEach(t => {
  const label = document.createElement("label");
  label.innerHTML = '<input type="checkbox" checked> <span class="swatch" style="background:' + t.colour + '"></span>' + esc(t.name);
  label.querySelector("input").addEventListener("change", ev => {
    if (ev.target.checked) hidden.delete(t.name); else hidden.add(t.name);
    view.nodes.refresh();
  });
  typesBox.appendChild(label);
});
</script>
</body></html>
"""


def _fact_summary(record) -> str:  # noqa: ANN001 - a FactRecord
    roles = []
    for role, iris in sorted(record.entities.items()):
        if role != "subject":
            roles.append(f"{role}: {', '.join(i.rsplit('/', 1)[-1] for i in iris)}")
    roles += [f"{k}: {v}" for k, v in sorted(record.literals.items()) if not k.endswith("_unit")]
    return f"{record.relation} — " + "; ".join(roles)


def render_html(graph: nx.MultiDiGraph, facts: Facts, *, title: str, subtitle: str = "", seed: int = 7) -> str:
    """The page as text: vis-network and the data inlined."""
    simple = nx.Graph(graph.to_undirected())
    pos = layout(graph, seed)
    scale = 130.0
    degree = dict(simple.degree())
    used_facts: set[str] = set()
    nodes = []
    for node, data in sorted(graph.nodes(data=True)):
        kind = data.get("type", "Entity")
        own = [f for f in data.get("facts", "").split(";") if f]
        used_facts.update(own)
        x, y = pos.get(node, (0.0, 0.0))
        nodes.append({"id": node, "label": data.get("label", node), "group": kind,
                      "color": colour_of(kind), "value": degree.get(node, 0),
                      "size": 10 + 4 * min(degree.get(node, 0), 10), "x": round(float(x) * scale, 1),
                      "y": round(-float(y) * scale, 1), "facts": own,
                      "title": f"{data.get('label', node)} ({kind})"})
    edges = []
    for index, (u, v, key, data) in enumerate(sorted(graph.edges(keys=True, data=True))):
        ids = [f for f in data.get("facts", "").split(";") if f]
        used_facts.update(ids)
        disputed = bool(data.get("conflicts"))
        edge = {"id": f"e{index}", "from": u, "to": v, "label": data.get("label", "")[:40],
                "arrows": "to" if data.get("directed", True) else "", "facts": ids,
                "title": ("⚠ articles disagree · " if disputed else "") +
                f"{data.get('label', '')} · {data.get('fact_count', 1)} fact(s) · {data.get('sources', '')}"}
        if disputed:  # a conflicting edge: red and dashed, its quotes side by side when clicked
            edge.update({"color": {"color": "#d33", "highlight": "#b00"}, "dashes": True, "width": 2})
        edges.append(edge)
    records = {r.iri: r for r in facts.records}
    fact_data = {}
    for iri in sorted(used_facts):
        record = records.get(iri)
        if record is None:
            continue
        fact_data[iri] = {"summary": _fact_summary(record), "conflicts": sorted(record.conflicts),
                          "quotes": [{"article": a, "quote": q, "method": m, "date": d}
                                     for a, q, m, d in record.quotes]}
    used_conflicts = {c for f in fact_data.values() for c in f["conflicts"]}
    types = sorted({n["group"] for n in nodes})
    data = {"nodes": nodes, "edges": edges, "facts": fact_data,
            "conflicts": {c: facts.conflicts[c] for c in sorted(used_conflicts) if c in facts.conflicts},
            "types": [{"name": t, "colour": colour_of(t)} for t in types]}
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    vis = (resources.files("kg") / "static" / "vis-network.min.js").read_text(encoding="utf-8")
    page = PAGE.replace("__TITLE__", html.escape(title)).replace("__SUBTITLE__", html.escape(subtitle))
    return page.replace("__DATA__", payload).replace("__VIS__", vis.replace("</script", "<\\/script"))


def write_html(graph: nx.MultiDiGraph, facts: Facts, path: Path, *, title: str, subtitle: str = "") -> Path:
    from ..writers import write_atomically

    write_atomically(path.parent, {path.name: lambda: render_html(graph, facts, title=title, subtitle=subtitle)})
    return path
