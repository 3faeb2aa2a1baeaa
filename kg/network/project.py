"""Project the facts of a build into NetworkX graphs that GraphML, GEXF and Cytoscape accept.

Entity view: nodes are entities; each event collapses into labelled edges between the entities
it involves (a summit becomes "met" edges between its participants, a deal a "sells to" edge
from seller to buyer). Parallel statements of the same relation between the same two entities
aggregate into one edge (fact_count, sources, dates). Full view: events are nodes of their own,
linked to their entities by role edges.

Attribute values are only str, int, float or bool (networkx's GraphML/GEXF writers reject lists
and None); names avoid `source`, `target`, `id`, `name`, `value` and `key`, which networkx's
Cytoscape exporter overwrites.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from ..vocab import PREFIXES

PROLOGUE = "".join(f"PREFIX {p}: <{i}>\n" for p, i in PREFIXES.items())

ENTITIES_QUERY = PROLOGUE + """
SELECT ?e ?label ?type WHERE { GRAPH graph:entities { ?e rdfs:label ?label ; a ?type } }"""

ROLES_QUERY = PROLOGUE + """
SELECT ?fact ?relation ?about ?p ?o ?v ?u WHERE {
  ?fact a akg:Fact ; akg:relation ?relation ; akg:about ?about .
  GRAPH ?fact { ?about ?p ?o . OPTIONAL { ?o schema:value ?v } OPTIONAL { ?o schema:unitText|schema:currency ?u } }
  FILTER(?p NOT IN (rdf:type, time:hasTime))
}"""

EVIDENCE_QUERY = PROLOGUE + """
SELECT ?fact ?article ?date ?quote ?method WHERE {
  ?fact akg:hasEvidence ?ev .
  ?ev prov:wasDerivedFrom ?a ; akg:method ?m ; oa:hasTarget/oa:hasSelector/oa:exact ?quote .
  ?a dcterms:identifier ?article . OPTIONAL { ?a dcterms:date ?date }
  BIND(LCASE(STRAFTER(STR(?m), "#")) AS ?method)
}"""

ARTICLES_QUERY = PROLOGUE + """
SELECT ?id ?title ?publisher ?date WHERE {
  GRAPH graph:articles { ?a a schema:NewsArticle ; dcterms:identifier ?id .
    OPTIONAL { ?a dcterms:title ?title } OPTIONAL { ?a dcterms:publisher ?publisher } OPTIONAL { ?a dcterms:date ?date } }
}"""

TERMS_QUERY = PROLOGUE + """
SELECT ?fact ?from ?until WHERE {
  ?fact akg:heldDuring ?term . ?term akg:validFrom ?from . OPTIONAL { ?term akg:validUntil ?until }
}"""

CONFLICTS_QUERY = PROLOGUE + """
SELECT ?c ?relation ?role ?claim ?value ?fact ?article ?quote WHERE {
  ?c a akg:Conflict ; akg:relation ?r ; akg:conflictingRole ?role ; akg:hasClaim ?claim .
  ?claim akg:claimOf ?fact ; akg:claimedValue ?value ; akg:hasEvidence ?ev .
  ?ev prov:wasDerivedFrom/dcterms:identifier ?article ; oa:hasTarget/oa:hasSelector/oa:exact ?quote .
  BIND(STRAFTER(STR(?r), "#") AS ?relation)
}"""

TYPE_NAMES = {
    "Person": "Person", "Country": "Country", "City": "City", "Region": "Region", "Corporation": "Company",
    "Organization": "Organization", "GovernmentOrganization": "GovernmentAgency", "MilitaryUnit": "MilitaryUnit",
    "Vessel": "Vessel", "Place": "Place", "Thing": "Thing",
}

PAIRWISE = {"Meeting": "met", "Summit": "met at summit", "Memorandum": "signed MOU with",
            "Treaty": "treaty with", "Declaration": "declaration with", "Alliance": "allied with",
            "MilitaryExercise": "exercised with"}
DIRECTED = {  # relation: (from role, to role, edge label)
    "Deal": ("seller", "buyer", "sells to"), "Investment": ("investor", "location", "invests in"),
    "Membership": ("member", "organization", "member of"), "Position": ("holder", "positionOf", "holds position in"),
    "BasedIn": ("subject", "basedIn", "based in"), "Visit": ("visitor", "location", "visits"),
    "Deployment": ("deployer", "location", "deploys to"),
}
GROUP_ROLE = {"Meeting": "participant", "Summit": "participant", "Memorandum": "party", "Treaty": "party",
              "Declaration": "party", "Alliance": "member", "MilitaryExercise": "participant"}


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass
class FactRecord:
    """One fact with its roles (role -> entity IRIs or literal texts) and its provenance."""

    iri: str
    relation: str
    about: str
    entities: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    literals: dict[str, str] = field(default_factory=dict)
    articles: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    quotes: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(article id, quote, method, article date or "")"""
    terms: list[tuple[str, str]] = field(default_factory=list)
    """For a Position: (valid from, valid until or "") of each term it held (see kg/timeline.py)."""
    conflicts: set[str] = field(default_factory=set)
    """The akg:Conflict ids this fact takes part in."""

    @property
    def date(self) -> str:
        """The event's own date if it has one, else the earliest article date."""
        own = self.literals.get("date", "")
        if own[:4].isdigit():
            return own
        return min(self.dates) if self.dates else ""


@dataclass
class Facts:
    entities: dict[str, tuple[str, str]]
    """entity IRI -> (label, type)"""
    records: list[FactRecord]
    conflicts: dict[str, dict] = field(default_factory=dict)
    """conflict IRI -> {"relation", "role", "sides": [{"value", "quotes": [[article, quote]...]}]}"""
    articles: dict[str, str] = field(default_factory=dict)
    """article id -> how a reader names it: "Title (Publisher, 2022-11-04)", the id only as a fallback"""
    article_dates: dict[str, str] = field(default_factory=dict)
    """article id -> its publication date (ISO), for articles that have one"""


def load_facts(store) -> Facts:  # noqa: ANN001 - a kg.store.GraphStore
    """Every fact of the build with its roles and provenance, read with three queries."""
    def sorted_rows(query: str) -> list:
        """Rows in a stable order: Oxigraph's join order varies between runs."""
        rows = list(store.query(query))
        return sorted(rows, key=lambda r: tuple("" if v is None else v.value for v in r))

    entities: dict[str, tuple[str, str]] = {}
    for row in sorted_rows(ENTITIES_QUERY):
        type_name = TYPE_NAMES.get(_local(row["type"].value), _local(row["type"].value))
        entities[row["e"].value] = (row["label"].value, type_name)
    records: dict[str, FactRecord] = {}
    for row in sorted_rows(ROLES_QUERY):
        iri = row["fact"].value
        record = records.get(iri)
        if record is None:
            record = records[iri] = FactRecord(iri, _local(row["relation"].value), row["about"].value)
            if record.about in entities:
                record.entities["subject"].append(record.about)
        prop, obj = _local(row["p"].value), row["o"]
        if obj.value in entities:
            record.entities[prop].append(obj.value)
        elif row["v"] is not None:
            record.literals[prop] = row["v"].value
            if row["u"] is not None:
                record.literals[prop + "_unit"] = row["u"].value
        elif not obj.value.startswith("http"):
            record.literals[prop] = obj.value
    for row in sorted_rows(EVIDENCE_QUERY):
        record = records.get(row["fact"].value)
        if record is None:
            continue
        record.articles.add(row["article"].value)
        if row["date"] is not None:
            record.dates.add(row["date"].value)
        record.quotes.append((row["article"].value, row["quote"].value, row["method"].value,
                              row["date"].value if row["date"] is not None else ""))
    for row in sorted_rows(TERMS_QUERY):
        record = records.get(row["fact"].value)
        if record is not None:
            record.terms.append((row["from"].value, row["until"].value if row["until"] is not None else ""))
    conflicts: dict[str, dict] = {}
    for row in sorted_rows(CONFLICTS_QUERY):
        conflict = conflicts.setdefault(row["c"].value, {"relation": row["relation"].value,
                                                         "role": row["role"].value, "sides": {}})
        side = conflict["sides"].setdefault(row["value"].value, [])
        if [row["article"].value, row["quote"].value] not in side:
            side.append([row["article"].value, row["quote"].value])
        record = records.get(row["fact"].value)
        if record is not None:
            record.conflicts.add(row["c"].value)
    for conflict in conflicts.values():
        conflict["sides"] = [{"value": value, "quotes": quotes} for value, quotes in sorted(conflict["sides"].items())]
    for record in records.values():
        for values in record.entities.values():
            values.sort()
        record.quotes.sort()
        record.terms.sort()
    articles: dict[str, str] = {}
    article_dates: dict[str, str] = {}
    for row in sorted_rows(ARTICLES_QUERY):
        title, publisher, date = (row[k].value if row[k] is not None else "" for k in ("title", "publisher", "date"))
        if date:
            article_dates[row["id"].value] = date[:10]
        where = ", ".join(x for x in (publisher, date) if x)
        articles[row["id"].value] = (f"{title} ({where})" if where else title) if title else \
            (f"{row['id'].value} ({where})" if where else row["id"].value)
    return Facts(entities, sorted(records.values(), key=lambda r: r.iri), conflicts, articles, article_dates)


def _edge_label(record: FactRecord, base: str) -> str:
    if record.relation == "Deal":
        qty = record.literals.get("quantity")
        item = record.literals.get("item") or record.literals.get("quantity_unit", "")
        return f"{base} {qty} {item}".strip() if qty else base
    if record.relation == "Position":
        return record.literals.get("roleName", base)
    if record.relation in ("Treaty", "Declaration") and record.literals.get("name"):
        return record.literals["name"]
    return base


def _edges_of(record: FactRecord) -> list[tuple[str, str, str, bool]]:
    """(from, to, label, directed) edges an event collapses into in the entity view."""
    if record.relation in PAIRWISE:
        members = sorted(set(record.entities.get(GROUP_ROLE[record.relation], [])))
        label = _edge_label(record, PAIRWISE[record.relation])
        edges = [(a, b, label, False) for a, b in combinations(members, 2)]
        for place in record.entities.get("location", []):
            edges += [(m, place, "met in" if record.relation in ("Meeting", "Summit") else "in", True)
                      for m in members if m != place]
        for beneficiary in record.entities.get("beneficiary", []):
            edges += [(m, beneficiary, "agreement for", True) for m in members if m != beneficiary]
        return edges
    if record.relation in DIRECTED:
        src_role, dst_role, label = DIRECTED[record.relation]
        return [(a, b, _edge_label(record, label), True) for a in record.entities.get(src_role, [])
                for b in record.entities.get(dst_role, []) if a != b]
    return []


def _add_node(graph: nx.MultiDiGraph, iri: str, facts: Facts) -> None:
    if iri not in graph:
        label, kind = facts.entities.get(iri, (_local(iri), "Entity"))
        graph.add_node(iri, label=label, type=kind, fact_count=0, sources="")


def entity_view(facts: Facts) -> nx.MultiDiGraph:
    """Entities as nodes, events collapsed into edges keyed by relation and label."""
    graph = nx.MultiDiGraph(view="entity")
    node_sources: dict[str, set[str]] = defaultdict(set)
    node_facts: dict[str, set[str]] = defaultdict(set)
    for record in facts.records:
        for role, iris in record.entities.items():
            for iri in iris:
                _add_node(graph, iri, facts)
                node_sources[iri] |= record.articles
                node_facts[iri].add(record.iri)
        for a, b, label, directed in _edges_of(record):
            key = f"{record.relation}:{label}"
            if graph.has_edge(a, b, key):
                data = graph.edges[a, b, key]
            else:
                graph.add_edge(a, b, key=key, relation=record.relation, label=label, directed=directed,
                               fact_count=0, sources="", dates="", first_date="", last_date="", quotes=0,
                               facts="", terms="", conflicts="")
                data = graph.edges[a, b, key]
            _merge_edge(data, record)
    for iri in graph.nodes:
        graph.nodes[iri]["sources"] = ";".join(sorted(node_sources[iri]))
        graph.nodes[iri]["fact_count"] = len(node_facts[iri])
    return graph


def _merge_edge(data: dict, record: FactRecord) -> None:
    data["fact_count"] += 1
    data["quotes"] += len(record.quotes)
    data["sources"] = ";".join(sorted(set(filter(None, data["sources"].split(";"))) | record.articles))
    data["facts"] = ";".join(sorted(set(filter(None, data["facts"].split(";"))) | {record.iri}))
    dates = set(filter(None, data["dates"].split(";"))) | ({record.date} if record.date else set())
    data["dates"] = ";".join(sorted(dates))
    data["first_date"] = min(dates) if dates else ""
    data["last_date"] = max(dates) if dates else ""
    # "from/until" of each term a position held; the conflicts the fact is in (GraphML wants strings)
    terms = set(filter(None, data["terms"].split(";"))) | {f"{a}/{b}" for a, b in record.terms}
    data["terms"] = ";".join(sorted(terms))
    data["conflicts"] = ";".join(sorted(set(filter(None, data["conflicts"].split(";"))) | record.conflicts))
    for key, attr in (("quantity", "quantity"), ("item", "item"), ("value", "amount"), ("value_unit", "currency"),
                      ("roleName", "title")):
        if key in record.literals:
            data[attr] = record.literals[key]


def full_view(facts: Facts) -> nx.MultiDiGraph:
    """Events and agreements as nodes of their own, with role edges to their entities."""
    graph = nx.MultiDiGraph(view="full")
    for record in facts.records:
        event = record.about
        if event not in facts.entities:
            title = record.literals.get("name") or record.literals.get("text") or record.relation
            graph.add_node(event, label=title[:60], type=record.relation, fact_count=1,
                           sources=";".join(sorted(record.articles)), dates=record.date, quotes=len(record.quotes),
                           facts=record.iri)
        else:
            _add_node(graph, event, facts)
        for role, iris in record.entities.items():
            for iri in iris:
                if iri == event:
                    continue
                _add_node(graph, iri, facts)
                graph.nodes[iri]["fact_count"] += 1
                graph.add_edge(event, iri, key=role, relation=record.relation, label=role, directed=True,
                               fact_count=1, sources=";".join(sorted(record.articles)), dates=record.date,
                               first_date=record.date, last_date=record.date, quotes=len(record.quotes),
                               facts=record.iri, terms=";".join(f"{a}/{b}" for a, b in record.terms),
                               conflicts=";".join(sorted(record.conflicts)))
    return graph
