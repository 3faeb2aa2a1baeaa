"""The provenance drill-down for one entity: every fact about it, each with its quotes."""

from __future__ import annotations

from dataclasses import dataclass, field

from .lookup import EntityMatch, find_entity, labels
from .vocab import PREFIXES

PROLOGUE = "".join(f"PREFIX {p}: <{i}>\n" for p, i in PREFIXES.items())

FACTS_ABOUT = PROLOGUE + """
SELECT DISTINCT ?fact ?relation ?about WHERE {
  GRAPH ?fact { { ?x ?p ?e } UNION { ?e ?p ?x } }
  ?fact a akg:Fact ; akg:relation ?relation ; akg:about ?about .
}"""

FACT_ROLES = PROLOGUE + """
SELECT ?fact ?p ?o ?v ?u WHERE {
  GRAPH ?fact { ?about ?p ?o . OPTIONAL { ?o schema:value ?v } OPTIONAL { ?o schema:unitText|schema:currency ?u } }
  ?fact akg:about ?about .
  FILTER(?p NOT IN (rdf:type, time:hasTime))
}"""

EVIDENCE = PROLOGUE + """
SELECT ?fact ?article ?date ?quote ?start ?end ?method ?confidence WHERE {
  ?fact akg:hasEvidence ?ev .
  ?ev prov:wasDerivedFrom ?a ; akg:method ?m ; akg:confidence ?confidence ; oa:hasTarget/oa:hasSelector ?q , ?pos .
  ?q oa:exact ?quote . ?pos oa:start ?start ; oa:end ?end .
  ?a dcterms:identifier ?article . OPTIONAL { ?a dcterms:date ?date }
  BIND(LCASE(STRAFTER(STR(?m), "#")) AS ?method)
}"""


@dataclass(frozen=True)
class Quote:
    article: str
    date: str | None
    text: str
    start: int
    end: int
    method: str
    confidence: str


@dataclass
class FactView:
    iri: str
    relation: str
    roles: list[tuple[str, str]] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.relation}: " + "; ".join(f"{r} {v}" for r, v in self.roles)


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def facts_about(store, text: str) -> tuple[EntityMatch, list[FactView]]:  # noqa: ANN001 - a GraphStore
    """The entity `text` names and every fact it takes part in, in a stable order."""
    entity = find_entity(store, text)
    names = labels(store)
    bound = f"VALUES ?e {{ <{entity.iri}> }}"
    views: dict[str, FactView] = {}
    for row in store.query(FACTS_ABOUT.replace("WHERE {", "WHERE { " + bound, 1)):
        views[row["fact"].value] = FactView(row["fact"].value, _local(row["relation"].value))
    if not views:
        return entity, []
    facts = " ".join(f"<{iri}>" for iri in views)
    for row in store.query(FACT_ROLES.replace("WHERE {", f"WHERE {{ VALUES ?fact {{ {facts} }}", 1)):
        obj, value, unit = row["o"], row["v"], row["u"]
        if value is not None:
            shown = value.value + (f" {unit.value}" if unit is not None else "")
        else:
            shown = names.get(obj.value, obj.value)
        views[row["fact"].value].roles.append((_local(row["p"].value), shown))
    for row in store.query(EVIDENCE.replace("WHERE {", f"WHERE {{ VALUES ?fact {{ {facts} }}", 1)):
        views[row["fact"].value].quotes.append(Quote(
            row["article"].value, row["date"].value if row["date"] is not None else None, row["quote"].value,
            int(row["start"].value), int(row["end"].value), row["method"].value, row["confidence"].value))
    for view in views.values():
        view.roles.sort()
        view.quotes.sort(key=lambda q: (q.article, q.start, q.method))
    return entity, sorted(views.values(), key=lambda v: (v.relation, v.summary(), v.iri))


def format_facts(entity: EntityMatch, facts: list[FactView]) -> str:
    lines = [f"{entity.label} <{entity.iri}>: {len(facts)} fact(s)"]
    for view in facts:
        lines.append("")
        lines.append(f"* {view.summary()}")
        for q in view.quotes:
            when = f", {q.date}" if q.date else ""
            lines.append(f"    [{q.article}{when}, chars {q.start}-{q.end}, {q.method} {q.confidence}]")
            lines.append(f"    “{' '.join(q.text.split())}”")
    return "\n".join(lines)
