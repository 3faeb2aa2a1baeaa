"""Entities to review: those the parser found that the registry lacks, and registry entries
without a Wikidata QID. The curator's loop is `kg entities --new --yaml` -> review -> paste into
`sources/entities.yaml`, after which the entity is curated and wins over any parse."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .api import KnowledgeGraph
from .registry import Registry

NEW_ENTITIES = """
SELECT ?id ?label ?type ?confidence ?iso ?qid (COUNT(DISTINCT ?article) AS ?articles) (COUNT(?m) AS ?mentions)
WHERE {
  GRAPH graph:entities {
    ?e akg:method akg:Parsed ; dcterms:identifier ?id ; rdfs:label ?label ; a ?class ; akg:confidence ?confidence .
    OPTIONAL { ?e akg:iso3166Code ?iso } OPTIONAL { ?e owl:sameAs ?qid }
  }
  OPTIONAL { ?m akg:denotes ?e . ?ev akg:hasMention ?m ; prov:wasDerivedFrom ?art . ?art dcterms:identifier ?article }
  BIND(STRAFTER(STR(?class), "#") AS ?t1) BIND(REPLACE(STR(?class), "^.*/", "") AS ?t2)
  BIND(IF(?t1 != "", ?t1, ?t2) AS ?type)
}
GROUP BY ?id ?label ?type ?confidence ?iso ?qid
ORDER BY DESC(?articles) ?id
"""

TYPE_NAMES = {"Corporation": "Company", "GovernmentOrganization": "GovernmentAgency"}


@dataclass(frozen=True)
class NewEntity:
    id: str
    type: str
    label: str
    confidence: float
    articles: int
    mentions: int
    iso3166: str | None = None
    wikidata: str | None = None

    def as_registry_entry(self) -> dict:
        entry: dict = {"id": self.id, "type": self.type, "label": self.label}
        if self.iso3166:
            entry["iso3166"] = self.iso3166
        if self.wikidata:
            entry["wikidata"] = self.wikidata
        return entry


def new_entities(build: Path) -> list[NewEntity]:
    """Entities the parser added to the last build, most widely cited first."""
    graph = KnowledgeGraph(build)
    found = []
    for row in graph.query(NEW_ENTITIES):
        qid = str(row["qid"]).rsplit("/", 1)[-1] if row.get("qid") else None
        found.append(NewEntity(str(row["id"]), TYPE_NAMES.get(str(row["type"]), str(row["type"])), str(row["label"]),
                               float(row["confidence"]), int(row["articles"]), int(row["mentions"]),
                               row.get("iso") and str(row["iso"]), qid))
    return found


def missing_qid(registry: Registry) -> list:
    """Registry entities with no Wikidata QID: candidates for `owl:sameAs` curation."""
    return [e for e in registry if not e.wikidata]


def registry_yaml(entities: list[NewEntity]) -> str:
    """Entries in `sources/entities.yaml` form, to review and paste under `entities:`."""
    return yaml.safe_dump([e.as_registry_entry() for e in entities], sort_keys=False, allow_unicode=True,
                          width=100)
