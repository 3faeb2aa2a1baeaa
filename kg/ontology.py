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
    conforms, report, text = pyshacl.validate(
        union_graph(ds), shacl_graph=shapes, ont_graph=ontology, inference="none",
        advanced=True, allow_warnings=False)
    results = len(set(report.subjects(predicate=SH.resultSeverity)))
    return Validation(bool(conforms), str(text), results)
