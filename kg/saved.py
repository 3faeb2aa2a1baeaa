"""The library of saved analyst queries in `kg/queries/*.rq`.

Each file starts with comment lines `# title:`, `# description:` and optionally
`# param: NAME ?VAR [required] [date]`. A parameter names an entity, or with `date` a day
(YYYY-MM-DD); where the query says `{{NAME}}` it becomes `VALUES ?VAR { <entity IRI> }` (or
`VALUES ?VAR { "2022-11-04"^^xsd:date }`), or nothing when an optional parameter is not given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .errors import QueryError
from .yamlio import nearest


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    description: str
    params: tuple[str, ...]
    text: str
    variables: tuple[str, ...] = ()
    required: tuple[bool, ...] = ()
    dates: tuple[str, ...] = ()
    """The parameters that take a date rather than an entity."""
    kind: str = "select"
    """The query form ("select", "ask", "construct", "describe"), from its first keyword."""


def _parse(name: str, text: str) -> SavedQuery:
    header = dict(re.findall(r"(?m)^#\s*(title|description):\s*(.+)$", text))
    found = re.findall(r"(?m)^#\s*param:\s*(\w+)\s+\?(\w+)(\s+required)?(\s+date)?", text)
    form = re.search(r"(?im)^(?!\s*#)[^#\n]*?\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", text)
    return SavedQuery(name, header.get("title", name), header.get("description", ""),
                      tuple(p for p, _, _, _ in found), text, tuple(v for _, v, _, _ in found),
                      tuple(bool(r) for _, _, r, _ in found), tuple(p for p, _, _, d in found if d),
                      form.group(1).lower() if form else "select")


def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query by name (the file name without .rq), in name order."""
    return dict(_shipped())


@lru_cache(maxsize=1)
def _shipped() -> dict[str, SavedQuery]:
    """The saved queries as the package ships them, read once."""
    folder = resources.files("kg") / "queries"
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            found[entry.name[:-3]] = _parse(entry.name[:-3], entry.read_text(encoding="utf-8"))
    return found


def federated_queries() -> dict[str, SavedQuery]:
    """Example queries that join the graph with another endpoint through SERVICE (`# service:`
    header), for a user's own SPARQL client: `kg` never calls out, so they are not saved queries
    it runs, only text it prints (`kg queries --federated`)."""
    folder = resources.files("kg") / "queries" / "federated"
    return {entry.name[:-3]: _parse(entry.name[:-3], entry.read_text(encoding="utf-8"))
            for entry in sorted(folder.iterdir(), key=lambda e: e.name) if entry.name.endswith(".rq")}


def get_saved(name: str) -> SavedQuery:
    queries = saved_queries()
    if name in federated_queries():
        raise QueryError(f"{name!r} is a federated example: it calls another endpoint through SERVICE, and "
                         "kg never calls out", hint="`kg queries --federated` prints it, for your own SPARQL client")
    if name not in queries:
        guess = nearest(name, queries)
        raise QueryError(f"no saved query named {name!r}",
                         hint=(f"did you mean {guess!r}? " if guess else "") + "`kg queries` lists them")
    return queries[name]


def is_day(text: str) -> bool:
    """A real calendar day written YYYY-MM-DD (2022-02-30 is not one)."""
    import datetime as dt

    try:
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)) and dt.date.fromisoformat(text) is not None
    except ValueError:
        return False


IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+")
"""An absolute IRI as SPARQL writes it between < and > (IRIREF): nothing that could close it."""


def fill(query: SavedQuery, values: dict[str, str]) -> str:
    """The query text with its parameters replaced by entity IRIs (already resolved). A shipped
    query filled with values checked here is vouched for (`sparql_safety.vouch`), not parsed again."""
    unknown = set(values) - set(query.params)
    if unknown:
        raise QueryError(f"the saved query {query.name!r} has no parameter {sorted(unknown)[0]!r}",
                         hint=f"its parameters: {', '.join(query.params) or 'none'}")
    text = query.text
    for param, variable, required in zip(query.params, query.variables, query.required):
        iri = values.get(param)
        if iri is None and required:
            raise QueryError(f"the saved query {query.name!r} needs --param {param}=ENTITY",
                             hint=f"e.g. kg query {query.name} --param {param}=Boeing")
        if iri and param in query.dates:
            if not is_day(iri):
                raise QueryError(f"--param {param}={iri!r} is not a date", hint="write a real day as YYYY-MM-DD")
            text = text.replace(f"{{{{{param}}}}}", f'VALUES ?{variable} {{ "{iri}"^^xsd:date }}')
            continue
        if iri and not IRI.fullmatch(iri):
            raise QueryError(f"--param {param}={iri!r} is not an IRI",
                             hint="give the entity's name, alias or id, or a full IRI such as https://...")
        text = text.replace(f"{{{{{param}}}}}", f"VALUES ?{variable} {{ <{iri}> }}" if iri else "")
    if _shipped().get(query.name) == query:
        from .sparql_safety import vouch

        vouch(text, query.kind)
    return text
