"""Load the ontology and the SHACL shapes, and validate a dataset against them with pySHACL."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

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


def require_files(ontology_dir: Path) -> None:
    """Fail at once, naming the file, when the shapes or the ontology a build will check with are
    missing: found only at the SHACL check, after the parse, the error cost minutes at 10k
    articles (run outside the project folder, `--ontology` defaults to a folder not there)."""
    for name in (SHAPES_FILE, ONTOLOGY_FILE):
        if not (ontology_dir / name).is_file():
            raise OntologyError("file is missing", path=ontology_dir / name,
                                hint="run from the project folder, pass --ontology DIR, or build with --no-validate")


def _shapes_and_ontology(shapes: Path, ontology: Path) -> tuple[Graph, Graph]:
    """The parsed shapes and ontology, parsed again only when a file changed: a build checks
    its sample in chunks and a forked checker is warmed up first (`warm_up`), and parsing both
    files was 0.06 s of each 0.4 s check at 150 articles. pySHACL adds two RDFS axioms to the
    shapes at its first check and nothing after (the ontology is mixed into the data graph,
    `inplace`); `tests/test_build.py` checks that."""
    return _parsed(*(_file_key(p) for p in (shapes, ontology)))


def _file_key(path: Path) -> tuple[Path, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return path, -1, -1  # load_turtle reports the missing file
    return path, stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=4)
def _parsed(shapes: tuple[Path, int, int], ontology: tuple[Path, int, int]) -> tuple[Graph, Graph]:
    return load_turtle(shapes[0]), load_turtle(ontology[0])


@dataclass(frozen=True)
class Validation:
    conforms: bool
    text: str
    results: int


def union_graph(ds: Dataset) -> Graph:
    """Every triple of every named graph in one graph: the shapes span fact and provenance graphs."""
    return union_of(ds.quads((None, None, None, None)))


def union_of(quads: Iterable[tuple]) -> Graph:
    """The triples of `quads`, whatever their graphs, in one graph."""
    union = Graph()
    union.addN((s, p, o, union) for s, p, o, _ in quads)
    return union


@contextmanager
def prepared_queries() -> Iterator[None]:
    """Parse each SPARQL text once while pySHACL runs.

    pySHACL hands rdflib the text of a SHACL-SPARQL constraint once per focus node, and rdflib
    parses it every time (35 ms each: 90% of a check of a few hundred quotes). Parsed and
    translated queries are reusable with new bindings (rdflib's own `prepareQuery` pattern), so
    the translation is kept per (text, base, namespaces) for the duration of the check.
    """
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query
    prepared: dict[tuple, object] = {}

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: ANN001, ANN202, N803
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
            if key not in prepared:
                prepared[key] = processor.translateQuery(processor.parseQuery(strOrQuery), base, initNs)
            strOrQuery = prepared[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original  # type: ignore[method-assign]


def validate(ds: Graph, ontology_dir: Path) -> Validation:
    """Check the dataset (or a graph of all its triples, `union_of`) against ontology/shapes.ttl
    (with the ontology's class hierarchy), on a stack of its own (`_on_own_stack`)."""
    return _on_own_stack(lambda: _validate(ds, ontology_dir))


T = TypeVar("T")


def _on_own_stack(call: Callable[[], T]) -> T:
    """What `call` returns (or raises), run in a thread of its own that ends before this returns.

    pySHACL's imports and rdflib's SPARQL parser (pyparsing) leave reference cycles through the
    frames of exceptions they catch, and a frame holds the frame that called it: on the build's
    own stack those cycles kept the build's whole working set alive (1.1 million objects after
    adding one article at 10k synthetic articles) until a full collection found them, 0.9 s. On
    a thread's stack they hold only that thread's frames."""
    import threading

    outcome: list = []

    def run() -> None:
        try:
            outcome.append((True, call()))
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            outcome.append((False, exc))

    thread = threading.Thread(target=run, name="kg-shacl", daemon=True)  # Ctrl-C is not kept waiting
    thread.start()
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value.with_traceback(None)
    return value


def _validate(ds: Graph, ontology_dir: Path) -> Validation:
    import pyshacl

    shapes, ontology = _shapes_and_ontology(ontology_dir / SHAPES_FILE, ontology_dir / ONTOLOGY_FILE)
    with prepared_queries():
        conforms, report, _ = pyshacl.validate(
            ds if not isinstance(ds, Dataset) else union_graph(ds), shacl_graph=shapes, ont_graph=ontology, inference="none",
            advanced=True, allow_warnings=False, inplace=True)  # the union is ours to mix the ontology into
    lines = describe_results(report)
    text = "Conforms." if conforms else f"Does not conform: {len(lines)} problem(s).\n" + "\n".join(lines)
    return Validation(bool(conforms), text, len(lines))


def warm_up(ontology_dir: Path) -> None:
    """Import pySHACL and run it once on nothing, as a build does while it waits for something
    else (its parse): the check after it then starts at once (0.25 s here)."""
    try:
        validate(Graph(), ontology_dir)
    except OntologyError:
        pass  # the check itself meets the same error and reports it


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
