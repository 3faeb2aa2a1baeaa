"""Load the ontology and the SHACL shapes, and validate a dataset against them with pySHACL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import SH

from .errors import OntologyError

ONTOLOGY_FILE = "alliance.ttl"
SHAPES_FILE = "shapes.ttl"


def load_turtle(path: Path) -> Graph:
    if not path.is_file():
        raise OntologyError("file is missing", path=path,
                            hint="run from the project folder, or pass --ontology DIR")
    try:
        return Graph().parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for syntax errors
        raise OntologyError(f"malformed Turtle: {exc}", path=path,
                            hint="fix the syntax, e.g. check with `riot --validate` or rdflib") from None


@dataclass(frozen=True)
class Validation:
    conforms: bool
    text: str
    results: int


def union_graph(ds: Dataset) -> Graph:
    """Every triple of every named graph in one graph: the shapes span fact and provenance graphs."""
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def validate(ds: Dataset, ontology_dir: Path) -> Validation:
    """Check the dataset against ontology/shapes.ttl (with the ontology's class hierarchy)."""
    import pyshacl

    shapes = load_turtle(ontology_dir / SHAPES_FILE)
    ontology = load_turtle(ontology_dir / ONTOLOGY_FILE)
    conforms, report, _ = pyshacl.validate(
        union_graph(ds), shacl_graph=shapes, ont_graph=ontology, inference="none",
        advanced=True, allow_warnings=False)
    lines = describe_results(report)
    text = "Conforms." if conforms else f"Does not conform: {len(lines)} problem(s).\n" + "\n".join(lines)
    return Validation(bool(conforms), text, len(lines))


def describe_results(report: Graph) -> list[str]:
    """One line per SHACL result: the node, the property, and what is wrong, in words."""
    from .vocab import PREFIXES

    for prefix, iri in PREFIXES.items():
        report.bind(prefix, iri, override=True, replace=True)

    def short(term: object) -> str:
        if term is None:
            return "-"
        try:
            return term.n3(report.namespace_manager)  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - any term that cannot be compacted is shown whole
            return str(term)

    lines = []
    for result in report.subjects(SH.resultSeverity, None):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        line = f"- {short(focus)}"
        if path is not None:
            line += f" {short(path)}"
        line += f": {message or 'violates ' + short(report.value(result, SH.sourceConstraintComponent))}"
        if value is not None and value != focus:
            line += f" (value {short(value)[:80]})"
        lines.append(line)
    return sorted(lines)
