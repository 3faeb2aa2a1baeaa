"""Summaries of a graph: entities by type, facts by relation and by article, corroboration.

`summary_of_build` asks the written dataset with SPARQL, so it reports what was really written.
"""

from __future__ import annotations

from pathlib import Path

from .errors import BuildError
from .vocab import PREFIXES

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

ENTITY_TYPE_NAMES = {
    "https://schema.org/Person": "Person", "https://schema.org/Country": "Country",
    "https://schema.org/City": "City", "https://schema.org/Corporation": "Company",
    "https://schema.org/Organization": "Organization",
    "https://schema.org/GovernmentOrganization": "GovernmentAgency",
    PREFIXES["akg"] + "Region": "Region", PREFIXES["akg"] + "MilitaryUnit": "MilitaryUnit",
    PREFIXES["akg"] + "Vessel": "Vessel",
}


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def summary_of_build(build_dir: Path) -> dict:
    """Count what a build holds, reading its N-Quads with pyoxigraph."""
    import pyoxigraph as ox

    path = build_dir / "dataset.nq"
    if not path.is_file():
        raise BuildError("no build found", path=build_dir, hint="run `kg build` first")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    except (SyntaxError, ValueError, OSError) as exc:
        raise BuildError(f"the build cannot be read: {exc}", path=path, hint="run `kg build` again") from None

    def rows(query: str) -> list[tuple]:
        result = store.query(SPARQL_PREFIXES + query, use_default_graph_as_union=True)
        return [tuple(None if v is None else v.value for v in row) for row in result]

    entities: dict[str, int] = {}
    for type_iri, count in rows("SELECT ?t (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH graph:entities { ?e a ?t } } GROUP BY ?t"):
        name = ENTITY_TYPE_NAMES.get(type_iri, _local(type_iri))
        entities[name] = entities.get(name, 0) + int(count)
    relations = {_local(r): int(n) for r, n in rows(
        "SELECT ?r (COUNT(?f) AS ?n) WHERE { ?f a akg:Fact ; akg:relation ?r } GROUP BY ?r")}
    per_article = {a: int(n) for a, n in rows(
        "SELECT ?id (COUNT(DISTINCT ?f) AS ?n) WHERE { ?a a schema:NewsArticle ; dcterms:identifier ?id . "
        "OPTIONAL { ?f a akg:Fact ; prov:wasDerivedFrom ?a } } GROUP BY ?id")}
    methods = {_local(m): int(n) for m, n in rows(
        "SELECT ?m (COUNT(?e) AS ?n) WHERE { ?e a akg:Evidence ; akg:method ?m } GROUP BY ?m")}
    corroborated = rows("SELECT (COUNT(?f) AS ?n) WHERE { ?f a akg:Fact ; akg:articleCount ?c FILTER(?c > 1) }")
    return {
        "articles": len(per_article),
        "entities": dict(sorted(entities.items())),
        "facts": sum(relations.values()),
        "facts_by_relation": dict(sorted(relations.items())),
        "facts_by_article": dict(sorted(per_article.items())),
        "evidence_by_method": {k.lower(): v for k, v in sorted(methods.items())},
        "corroborated_facts": int(corroborated[0][0]),
        "quads": len(store),
    }


LISTED_ARTICLES = 40
"""Past this many articles, `kg build` lists the ones with the most facts, not ten thousand lines."""


def format_summary(summary: dict, every_article: bool = False) -> str:
    """A short human-readable summary; `every_article` lists the facts of every article however
    many there are (`kg stats`), else the most productive `LISTED_ARTICLES` past that many."""
    lines = [f"{summary['articles']} articles, {sum(summary['entities'].values())} entities, "
             f"{summary['facts']} facts ({summary['corroborated_facts']} corroborated by 2+ articles), "
             f"{summary['quads']} quads"]
    lines.append("Entities by type: " + ", ".join(f"{k} {v}" for k, v in summary["entities"].items()))
    lines.append("Facts by relation: " + ", ".join(f"{k} {v}" for k, v in summary["facts_by_relation"].items()))
    per_article = summary["facts_by_article"]
    if every_article or len(per_article) <= LISTED_ARTICLES:
        lines.append("Facts per article:")
        lines.extend(f"  {k}: {v}" for k, v in per_article.items())
    else:
        top = sorted(per_article.items(), key=lambda kv: (-kv[1], kv[0]))[:LISTED_ARTICLES // 2]
        lines.append(f"Facts per article (the {len(top)} with the most of {len(per_article)}; `kg stats` lists all):")
        lines.extend(f"  {k}: {v}" for k, v in top)
    lines.append("Evidence by method: " + ", ".join(f"{k} {v}" for k, v in summary["evidence_by_method"].items()))
    if summary.get("conflicts"):
        lines.append(f"Conflicts: {summary['conflicts']} (articles disagree; `kg conflicts` shows both quotes)")
    return "\n".join(lines)
