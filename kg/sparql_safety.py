"""Check a SPARQL request before anything runs it: read-only, local, and well-formed.

pyoxigraph performs SERVICE calls itself, and rdflib fetches FROM/FROM NAMED and LOAD targets,
so both the CLI and the HTTP endpoint parse the request with rdflib's SPARQL parser first and
refuse updates, SERVICE, LOAD and dataset clauses before an engine sees them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from dataclasses import dataclass

from .errors import QueryError
from .vocab import PREFIXES


@dataclass(frozen=True)
class QueryInfo:
    """What kind of query this is, and the text to run (with the project prefixes)."""

    kind: str
    """"select", "ask", "construct" or "describe"."""
    text: str
    prologue_lines: int


class UnsafeQuery(QueryError):
    """The query asks for something the project never does for a reader (update, SERVICE...)."""

    exit_code = 3


_VOUCHED: dict[str, str] = {}
"""Query texts made from a shipped saved query and checked values (`vouch`), with their kind."""


def vouch(text: str, kind: str) -> None:
    """Take `text` as checked without parsing it: `saved.fill` calls this for a saved query shipped
    with the package (each is parsed and checked by the tests, `test_saved_queries_are_vouched_for_
    as_parsed`) filled with values it checked itself (IRIs without a character that could close
    the IRI, real days). rdflib's parser takes 10-45 ms for one of them, most of a first answer
    on a store of a hundred thousand quads, and every new day or entity is a new text. The text
    with its prologue (what `inspect_query` returns, and what callers may inspect again) too."""
    prologue = prologue_for(text)
    _VOUCHED[text] = kind
    if prologue:
        _VOUCHED[prologue + "\n" + text] = kind


def prologue_for(query: str) -> str:
    """PREFIX declarations for the project prefixes the query does not declare, on one line."""
    declared = {m.lower() for m in re.findall(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*|):", query)}
    return " ".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items() if p.lower() not in declared)


def _walk(node: object) -> Iterator[object]:
    yield node
    if isinstance(node, dict):
        children = list(node.values())
    elif isinstance(node, (list, tuple)):
        children = list(node)
    else:
        children = list(node.values()) if hasattr(node, "values") and not isinstance(node, str) else []
        if hasattr(node, "__iter__") and not isinstance(node, (str, bytes)) and not children:
            try:
                children = list(node)  # type: ignore[call-overload]
            except TypeError:
                children = []
    for child in children:
        yield from _walk(child)


def _names(tree: object) -> set[str]:
    return {getattr(n, "name") for n in _walk(tree) if isinstance(getattr(n, "name", None), str)}


def _position(exc: Exception, prologue_lines: int) -> str:
    line = getattr(exc, "lineno", None)
    col = getattr(exc, "col", None)
    if line is None:
        return ""
    return f" at line {max(1, line - prologue_lines)}, column {col}"


def inspect_update(update: str) -> str:
    """Check an update the user explicitly allowed: no LOAD and no SERVICE even then."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    prologue = prologue_for(update)
    text = prologue + "\n" + update if prologue else update
    try:
        tree = parseUpdate(text)
    except ParseException as exc:
        raise QueryError(f"SPARQL update syntax error{_position(exc, 1 if prologue else 0)}: {exc.msg}") from None
    names = _names(tree)
    if "Load" in names:
        raise UnsafeQuery("LOAD is refused: it would read files or URLs",
                          hint="add the data to sources/ and run `kg build`")
    if "ServiceGraphPattern" in names:
        raise UnsafeQuery("SERVICE is refused: queries never reach other servers from here")
    return text


@lru_cache(maxsize=1024)
def inspect_query(query: str) -> QueryInfo:
    """Parse `query` and refuse what a read-only reader must not do; raise QueryError or UnsafeQuery.

    Cached: parsing with rdflib costs milliseconds, and dashboards and endpoints repeat queries.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not query.strip():
        raise QueryError("the query is empty", hint="write a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    prologue = prologue_for(query)
    text = prologue + "\n" + query if prologue else query
    lines = 1 if prologue else 0
    if query in _VOUCHED:
        return QueryInfo(kind=_VOUCHED[query], text=text, prologue_lines=lines)
    try:
        tree = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except ParseException:
            raise QueryError(f"SPARQL syntax error{_position(exc, lines)}: {exc.msg}",
                             hint="check the query near that position") from None
        except Exception:  # noqa: BLE001 - rdflib raises assorted errors while building updates
            pass
        raise UnsafeQuery("updates are refused: the graph is built from sources/ and is read-only here",
                          hint="change the curated files in sources/ and run `kg build`") from None
    except RecursionError:
        raise QueryError("the query is nested too deeply to read",
                         hint="write it with fewer nested brackets or groups") from None
    except Exception as exc:  # noqa: BLE001 - e.g. an undeclared prefix
        undeclared = re.search(r"(?i)unknown namespace prefix\s*:?\s*['\"]?(\w*)", str(exc))
        raise QueryError(f"SPARQL error: {exc}",
                         hint=f"declare the prefix {undeclared.group(1)!r} with PREFIX" if undeclared
                         else "check the query near the part the error names") from None
    names = _names(tree)
    if "ServiceGraphPattern" in names:
        raise UnsafeQuery("SERVICE is refused: queries never reach other servers from here",
                          hint="`kg queries --federated` prints federated examples for your own SPARQL client; "
                               "or load the data into sources/")
    if "DatasetClause" in names:
        raise UnsafeQuery("FROM and FROM NAMED are refused: they would read files or URLs",
                          hint="the default graph is already the union of every named graph; "
                               "use GRAPH <iri> { ... } to pick one")
    kind = tree[1].name.replace("Query", "").lower()
    return QueryInfo(kind=kind, text=text, prologue_lines=lines)
