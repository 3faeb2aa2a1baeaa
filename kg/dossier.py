"""`kg show ENTITY --html`: a one-page dossier on one entity that a journalist can attach to a story.

Who the entity is (type, identifiers, other names), every fact it takes part in with each
quote and the article's title, publisher, date and link, a timeline of its dated facts and a
drawing of its ego network. The page is one self-contained file: the drawings are inline SVG,
there is no script, and its Content-Security-Policy forbids loading anything, so it opens
offline and tells no server that someone read it.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

from .lookup import EntityMatch
from .show import PROLOGUE, FactView, facts_about

IDENTITY = PROLOGUE + """
SELECT ?p ?o WHERE { GRAPH graph:entities { ?e ?p ?o } }"""

ARTICLES = PROLOGUE + """
SELECT ?id ?title ?publisher ?date ?url WHERE {
  GRAPH graph:articles { ?a a schema:NewsArticle ; dcterms:identifier ?id .
    OPTIONAL { ?a dcterms:title ?title } OPTIONAL { ?a dcterms:publisher ?publisher }
    OPTIONAL { ?a dcterms:date ?date } OPTIONAL { ?a schema:url ?url } }
}"""

SHOWN = {  # entity properties a reader wants, in the order they read them
    "rdf-syntax-ns#type": "Type", "core#altLabel": "Also called", "ontology#shortName": "Short name",
    "terms/identifier": "Identifier", "owl#sameAs": "Same as", "schema.org/identifier": "Code",
    "ontology#iso3166": "ISO 3166", "ontology#wikidata": "Wikidata", "ontology#method": "Entered by",
    "ontology#confidence": "Confidence", "ontology#factCount": "Facts",
}

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 15px/1.5 Georgia, serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
h1 {{ font-size: 1.8rem; margin-bottom: .2rem; }} h2 {{ font: 600 1.1rem system-ui, sans-serif; border-bottom: 1px solid #ccc; margin-top: 2rem; }}
.kind {{ font: .9rem system-ui, sans-serif; color: #666; }}
table.id td {{ padding: 1px 12px 1px 0; vertical-align: top; font-size: .9rem; }} table.id td:first-child {{ color: #666; }}
.fact {{ margin: 1rem 0; }} .fact h3 {{ font: 600 1rem system-ui, sans-serif; margin: 0 0 .3rem; }}
.roles {{ font: .9rem system-ui, sans-serif; color: #444; }}
blockquote {{ margin: .4rem 0 .1rem 1rem; padding-left: .8rem; border-left: 3px solid #bbb; }}
.src {{ font: .8rem system-ui, sans-serif; color: #666; margin-left: 1.8rem; }}
figure {{ margin: 1rem 0; }} figure svg {{ max-width: 100%; height: auto; }}
footer {{ margin-top: 3rem; font: .8rem system-ui, sans-serif; color: #888; }}
</style></head>
<body>
<h1>{label}</h1>
<div class="kind">{kind} · <code>{iri}</code></div>
<h2>Who</h2>
<table class="id">{identity}</table>
<h2>Facts ({count})</h2>
{facts}
<h2>Timeline</h2>
{timeline}
<h2>Network</h2>
{network}
<footer>Every fact above is quoted from the article named under it. Built by alliance-kg; built offline,
it loads nothing from any server.</footer>
</body></html>
"""


def dossier(store, text: str) -> tuple[EntityMatch, str]:  # noqa: ANN001 - a kg.store.GraphStore
    """The entity `text` names and its dossier page."""
    entity, facts = facts_about(store, text)
    identity = _identity(store, entity.iri)
    articles = _articles(store)
    kind = next((v for k, v in identity if k == "Type"), "Entity")
    rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{_value(v)}</td></tr>" for k, v in identity if k != "Type")
    page = PAGE.format(
        title=html.escape(f"{entity.label} — dossier"), label=html.escape(entity.label), kind=html.escape(kind),
        iri=html.escape(entity.iri), identity=rows, count=len(facts),
        facts="\n".join(_fact(view, articles) for view in facts) or "<p>No facts.</p>",
        timeline=_timeline(store, entity), network=_network(store, entity))
    return entity, page


def _identity(store, iri: str) -> list[tuple[str, str]]:  # noqa: ANN001
    found: list[tuple[int, str, str]] = []
    order = list(SHOWN)
    for row in store.query(IDENTITY.replace("WHERE {", f"WHERE {{ VALUES ?e {{ <{iri}> }}", 1)):
        prop = row["p"].value
        key = next((k for k in order if prop.endswith(k)), None)
        if key is None:
            continue
        value = row["o"].value
        if key in ("rdf-syntax-ns#type", "ontology#method"):
            value = value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        found.append((order.index(key), SHOWN[key], value))
    return [(name, value) for _, name, value in sorted(set(found))]


def _value(value: str) -> str:
    if value.startswith(("http://", "https://")):
        return f'<a href="{html.escape(value)}">{html.escape(value)}</a>'
    return html.escape(value)


def _articles(store) -> dict[str, dict[str, str]]:  # noqa: ANN001
    return {row["id"].value: {k: row[k].value for k in ("title", "publisher", "date", "url") if row[k] is not None}
            for row in store.query(ARTICLES)}


def _fact(view: FactView, articles: dict[str, dict[str, str]]) -> str:
    roles = "; ".join(f"{html.escape(r)}: {html.escape(v)}" for r, v in view.roles)
    quotes = []
    for q in view.quotes:
        meta = articles.get(q.article, {})
        name = html.escape(meta.get("title") or q.article)
        if meta.get("url"):
            name = f'<a href="{html.escape(meta["url"])}">{name}</a>'
        where = ", ".join(html.escape(x) for x in (meta.get("publisher"), q.date or meta.get("date")) if x)
        quotes.append(f"<blockquote>“{html.escape(' '.join(q.text.split()))}”</blockquote>"
                      f'<div class="src">{name}{" (" + where + ")" if where else ""} · characters '
                      f"{q.start}–{q.end} · {html.escape(q.method)}, confidence {html.escape(q.confidence)}</div>")
    return f'<div class="fact"><h3>{html.escape(view.relation)}</h3><div class="roles">{roles}</div>' \
           f'{"".join(quotes)}</div>'


def _svg(render) -> str:  # noqa: ANN001 - callable(Path) writing a picture there
    """Render a matplotlib picture to SVG and return the <svg> element, to inline in the page."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "picture.svg"
        render(path)
        text = path.read_text(encoding="utf-8")
    return text[text.index("<svg"):]


def _timeline(store, entity: EntityMatch) -> str:  # noqa: ANN001
    from dataclasses import replace

    from .network.project import load_facts
    from .network.timeline import draw_timeline, timeline_events

    facts = load_facts(store)
    mine = replace(facts, records=[r for r in facts.records
                                   if any(entity.iri in iris for iris in r.entities.values())])
    events, _ = timeline_events(mine, include_statements=True)
    if not events:
        return "<p>No dated facts.</p>"
    picture = _svg(lambda path: draw_timeline(mine, path, title=f"{entity.label}: timeline",
                                              include_statements=True, width=11.0))
    return f"<figure>{picture}</figure>"


def _network(store, entity: EntityMatch) -> str:  # noqa: ANN001
    from .network.draw import draw
    from .network.export import project, title_for
    from .network.filters import NetworkFilter

    flt = NetworkFilter(center=entity.iri, depth=1)
    graph, facts = project(store, "entity", flt)
    if graph.number_of_edges() == 0:
        return "<p>No relations to other entities.</p>"
    title = title_for(graph, "entity", NetworkFilter(center=entity.label, depth=1), facts)
    return f"<figure>{_svg(lambda path: draw(graph, path, title=title))}</figure>"
