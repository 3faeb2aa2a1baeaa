"""Find an entity in a build by what a user types: label, alias, short name, id or IRI."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import QueryError
from .registry import normalise_name
from .vocab import ENTITY, PREFIXES

NAMES_QUERY = """
SELECT ?e ?name WHERE {
  GRAPH graph:entities {
    { ?e rdfs:label ?name } UNION { ?e skos:altLabel ?name } UNION { ?e akg:shortName ?name }
    UNION { ?e dcterms:identifier ?name }
  }
}"""


@dataclass(frozen=True)
class EntityMatch:
    iri: str
    label: str


def entity_names(store) -> list[tuple[str, str]]:  # noqa: ANN001 - a kg.store.GraphStore
    prologue = "".join(f"PREFIX {p}: <{i}>\n" for p, i in PREFIXES.items())
    return [(row["e"].value, row["name"].value) for row in store.query(prologue + NAMES_QUERY)]


def labels(store) -> dict[str, str]:  # noqa: ANN001
    prologue = "".join(f"PREFIX {p}: <{i}>\n" for p, i in PREFIXES.items())
    q = prologue + "SELECT ?e ?l WHERE { GRAPH graph:entities { ?e rdfs:label ?l } }"
    return {row["e"].value: row["l"].value for row in store.query(q)}


def find_entity(store, text: str) -> EntityMatch:  # noqa: ANN001
    """The one entity `text` names; a did-you-mean or the list of candidates otherwise."""
    import difflib

    names = entity_names(store)
    label_of = labels(store)
    wanted = text.strip()
    if wanted.startswith("<") and wanted.endswith(">"):
        wanted = wanted[1:-1]
    if wanted.startswith("ent:"):
        wanted = str(ENTITY) + wanted[4:]
    if wanted in label_of:
        return EntityMatch(wanted, label_of[wanted])
    key = normalise_name(wanted)
    hits = sorted({iri for iri, name in names if normalise_name(name) == key})
    if len(hits) == 1:
        return EntityMatch(hits[0], label_of.get(hits[0], hits[0]))
    if len(hits) > 1:
        options = ", ".join(f"{label_of.get(h, h)} ({h.rsplit('/', 1)[-1]})" for h in hits)
        raise QueryError(f"{text!r} may mean several entities: {options}",
                         hint="use the full name or the id")
    by_norm = {normalise_name(name): name for _, name in names}
    guess = difflib.get_close_matches(key, list(by_norm), n=3, cutoff=0.6)
    raise QueryError(f"no entity named {text!r} in this build",
                     hint=(f"did you mean {', '.join(repr(by_norm[g]) for g in guess)}?" if guess
                           else "`kg query entities` lists the entities"))
